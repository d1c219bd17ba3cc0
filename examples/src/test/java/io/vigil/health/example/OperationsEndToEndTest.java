package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.vigil.health.license.tool.LicenseTool;
import io.vigil.health.test.EmbeddedPostgresServer;
import io.vigil.health.test.EmbeddedRedis;
import io.vigil.health.test.Ports;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Operations end to end: three replicas of the example (each its own JVM, started from its main class with settings
 * from the environment, like {@link ExampleProcessTest}), a real Prometheus scraping them every second and evaluating
 * the project's own {@code docs/monitoring/health-alerts.yml}, and a real Alertmanager routing to a webhook receiver
 * in this test; a real Redis serves every replica's optional cache check. Faults are made for real: PostgreSQL
 * stopped under one replica, a reindex lock held past its threshold, a license about to expire, a hung check and a
 * starved engine pool (the example's fault drill), the shared upstream failing on every replica, two replicas taken
 * out of service by the operator's request. For each, the alert reaches the receiver with the labels the runbook needs, and
 * a {@code resolved} notification follows the repair.
 *
 * <p>The rules' expressions are loaded unchanged; their time is compressed 60 times (every {@code for:} and range
 * of minutes becomes seconds, of hours minutes), so that a 15-minute lock threshold takes 15 seconds.
 *
 * <p>Needs Debian's {@code prometheus} and {@code prometheus-alertmanager}; skipped with a message when either is
 * missing, unless {@code VIGIL_REQUIRE_PROMETHEUS=true} (set by {@code .ci/run}, which installs them): then it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperationsEndToEndTest {
    static final String REQUIRE_ENV = "VIGIL_REQUIRE_PROMETHEUS";
    private static final String TOKEN = "e2e-operator-token-4711";
    private static final String JOB = "example";
    private static final Duration ALERT_WITHIN = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path tmp;
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final List<Notified> received = new CopyOnWriteArrayList<>();
    private final AtomicBoolean upstreamUp = new AtomicBoolean(true);
    private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "e2e-kubelet");
        t.setDaemon(true);
        return t;
    });
    private HttpServer receiver;
    private HttpServer upstream;
    private EmbeddedPostgresServer postgres;
    private EmbeddedRedis redis;
    private Replica a;
    private Replica b;
    private Replica c;
    private Path licenseKey;
    private KeyPair issuer;

    /** One alert of one webhook notification. */
    record Notified(String status, Map<String, String> labels, Map<String, String> annotations) {
        String alertname() {
            return labels.get("alertname");
        }
    }

    /** A replica: its ports and the settings it is started with (kept for a restart on the same ports). */
    final class Replica {
        final String name;
        final int http = Ports.free();
        final int management = Ports.free();
        final Map<String, String> env = new LinkedHashMap<>();
        Process process;

        Replica(String name) {
            this.name = name;
        }

        /** @return the {@code instance} label Prometheus gives it */
        String instance() {
            return "127.0.0.1:" + management;
        }

        void start() throws IOException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = List.of(
                    java,
                    "-Xmx96m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
                    ExampleService.class.getName());
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            tmp.resolve(name + ".log").toFile()));
            pb.environment().put("VIGIL_HTTP_PORT", Integer.toString(http));
            pb.environment().put("VIGIL_MANAGEMENT_PORT", Integer.toString(management));
            pb.environment().put("VIGIL_MIGRATION_SECONDS", "1");
            pb.environment().put("VIGIL_ADMIN_TOKEN", TOKEN);
            pb.environment().put("VIGIL_HEALTH_TIMEOUT", "800ms");
            pb.environment().put("VIGIL_DRAIN_SECONDS", "1");
            pb.environment().put("VIGIL_REDIS_URL", "redis://127.0.0.1:" + redis.port());
            pb.environment()
                    .put(
                            "VIGIL_UPSTREAM_URL",
                            "http://127.0.0.1:" + upstream.getAddress().getPort() + "/ready");
            pb.environment().putAll(env);
            process = pb.start();
            processes.add(process);
        }

        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }

        int ready() {
            try {
                return Http.status(http, "/health/ready");
            } catch (RuntimeException e) {
                return 0; // not listening (yet)
            }
        }

        int send(String method, String path) {
            return Http.send(method, http, path, "Authorization", "Bearer " + TOKEN)
                    .statusCode();
        }
    }

    @BeforeAll
    void startTheFleet() throws Exception {
        Path prometheus = binary("prometheus");
        Path alertmanager = binary("prometheus-alertmanager", "alertmanager");
        tmp = Files.createTempDirectory("vigil-e2e");

        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (exchange) {
                JsonNode body = JSON.readTree(exchange.getRequestBody());
                for (JsonNode alert : body.path("alerts")) {
                    received.add(new Notified(
                            alert.path("status").asText(),
                            strings(alert.path("labels")),
                            strings(alert.path("annotations"))));
                }
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/ready", exchange -> {
            try (exchange) {
                exchange.sendResponseHeaders(upstreamUp.get() ? 200 : 503, -1);
            }
        });
        upstream.start();

        postgres = EmbeddedPostgresServer.start();
        redis = EmbeddedRedis.startDefault(); // every replica's optional cache
        issuer = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        licenseKey = tmp.resolve("issuer.pub");
        Files.writeString(
                licenseKey,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(issuer.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");

        a = new Replica("a"); // on PostgreSQL
        a.env.put("VIGIL_DB_URL", postgres.url());
        a.env.put("VIGIL_DB_USER", EmbeddedPostgresServer.APP_USER);
        a.env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.APP_PASSWORD);
        b = new Replica("b"); // H2, the example's default
        c = new Replica("c"); // a license that expires in 7 days
        c.env.put("VIGIL_LICENSE_FILE", license(Duration.ofDays(7)).toString());
        c.env.put("VIGIL_LICENSE_PUBLIC_KEY", licenseKey.toString());
        for (Replica r : List.of(a, b, c)) {
            r.start();
        }

        int amPort = Ports.free();
        Path amDir = Files.createDirectories(tmp.resolve("alertmanager"));
        Files.writeString(
                amDir.resolve("alertmanager.yml"),
                String.join(
                        "\n",
                        "route:",
                        "  receiver: test",
                        "  group_by: [alertname, job, instance, check]",
                        "  group_wait: 1s",
                        "  group_interval: 1s",
                        "  repeat_interval: 1h",
                        "receivers:",
                        "  - name: test",
                        "    webhook_configs:",
                        "      - url: http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook",
                        "        send_resolved: true",
                        "inhibit_rules:",
                        "  # one shared outage is one page: the per-instance alerts of the same job and check are inhibited",
                        "  - source_matchers: [alertname=HealthSharedDependencyDown]",
                        "    target_matchers: [alertname=HealthRequiredCheckDown]",
                        "    equal: [job, check]",
                        ""));
        start(
                alertmanager,
                amDir.resolve("am.log"),
                "--config.file=" + amDir.resolve("alertmanager.yml"),
                "--storage.path=" + amDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + amPort,
                "--cluster.listen-address=");

        int promPort = Ports.free();
        Path promDir = Files.createDirectories(tmp.resolve("prometheus"));
        Files.writeString(promDir.resolve("health-alerts.yml"), compressTime(Files.readString(rules())));
        Files.writeString(
                promDir.resolve("prometheus.yml"),
                String.join(
                        "\n",
                        "global:",
                        "  scrape_interval: 1s",
                        "  evaluation_interval: 1s",
                        "rule_files: [health-alerts.yml]",
                        "alerting:",
                        "  alertmanagers:",
                        "    - static_configs:",
                        "        - targets: ['127.0.0.1:" + amPort + "']",
                        "scrape_configs:",
                        "  - job_name: " + JOB,
                        "    metrics_path: /metrics",
                        "    static_configs:",
                        "      - targets: ['" + a.instance() + "', '" + b.instance() + "', '" + c.instance() + "']",
                        ""));
        start(
                prometheus,
                promDir.resolve("prometheus.log"),
                "--config.file=" + promDir.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + promDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + promPort,
                "--rules.alert.resend-delay=1s");

        await().atMost(Duration.ofSeconds(60))
                .until(() -> status(amPort, "/-/ready") == 200 && status(promPort, "/-/ready") == 200);
        // kubelet: every replica's readiness every 500 ms, so probe gauges and check evaluations move as they would
        kubelet.scheduleWithFixedDelay(() -> List.of(a, b, c).forEach(Replica::ready), 0, 500, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(90)).until(() -> a.ready() == 200 && b.ready() == 200 && c.ready() == 200);
    }

    @AfterAll
    void stopEverything() throws Exception {
        kubelet.shutdownNow();
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (postgres != null) {
            postgres.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    @Order(1)
    void eachInstanceFaultFiresWithTheLabelsTheRunbookNeedsAndResolvesAfterTheRepair() throws Exception {
        postgres.stop();
        assertThat(b.send("POST", "/admin/tasks/reindex?seconds=300")).isEqualTo(202);

        awaitAlert(
                "firing",
                "HealthRequiredCheckDown",
                Map.of("instance", a.instance(), "check", "db", "severity", "critical"));
        awaitAlert("firing", "HealthCircuitBreakerOpen", Map.of("instance", a.instance(), "check", "db"));
        awaitAlert("firing", "HealthLicenseExpiringSoon", Map.of("instance", c.instance(), "severity", "warning"));
        awaitAlert("firing", "HealthReadinessLocked", Map.of("instance", b.instance()));

        postgres.restart();
        assertThat(b.send("DELETE", "/admin/tasks/reindex")).isEqualTo(200);
        c.stop();
        c.env.put("VIGIL_LICENSE_FILE", license(Duration.ofDays(365)).toString()); // renewed
        c.start();

        awaitAlert("resolved", "HealthRequiredCheckDown", Map.of("instance", a.instance(), "check", "db"));
        awaitAlert("resolved", "HealthCircuitBreakerOpen", Map.of("instance", a.instance(), "check", "db"));
        awaitAlert("resolved", "HealthReadinessLocked", Map.of("instance", b.instance()));
        awaitAlert("resolved", "HealthLicenseExpiringSoon", Map.of("instance", c.instance()));
        await().atMost(Duration.ofSeconds(90)).until(() -> a.ready() == 200 && b.ready() == 200 && c.ready() == 200);
    }

    @Test
    @Order(2)
    void aHungCheckIsStuckAndAStarvedPoolRejectsEvaluationsUntilTheDrillIsReleased() {
        int mark = received.size();
        assertThat(a.send("POST", "/admin/faults/hang?checks=1")).isEqualTo(202);
        assertThat(b.send("POST", "/admin/faults/hang?checks=" + FaultDrills.MOST))
                .isEqualTo(202);

        awaitAlert(mark, "firing", "HealthCheckStuck", Map.of("instance", a.instance(), "severity", "warning"));
        awaitAlert(mark, "firing", "HealthChecksRejected", Map.of("instance", b.instance(), "severity", "warning"));

        assertThat(a.send("DELETE", "/admin/faults/hang")).isEqualTo(200);
        assertThat(b.send("DELETE", "/admin/faults/hang")).isEqualTo(200);
        awaitAlert(mark, "resolved", "HealthCheckStuck", Map.of("instance", a.instance()));
        awaitAlert(mark, "resolved", "HealthChecksRejected", Map.of("instance", b.instance()));
        await().atMost(Duration.ofSeconds(60)).until(() -> a.ready() == 200 && b.ready() == 200 && c.ready() == 200);
    }

    @Test
    @Order(3)
    void aSharedDependencyDownOnEveryReplicaIsOneAlertForTheJobAndTheFleetPages() {
        int mark = received.size();
        upstreamUp.set(false);

        Notified shared = awaitAlert(
                mark,
                "firing",
                "HealthSharedDependencyDown",
                Map.of("check", "upstream", "job", JOB, "severity", "critical"));
        assertThat(shared.labels()).doesNotContainKey("instance");
        awaitAlert(mark, "firing", "HealthFleetMostlyUnready", Map.of("job", JOB, "severity", "critical"));

        upstreamUp.set(true);
        awaitAlert(mark, "resolved", "HealthSharedDependencyDown", Map.of("check", "upstream", "job", JOB));
        awaitAlert(mark, "resolved", "HealthFleetMostlyUnready", Map.of("job", JOB));
        await().atMost(Duration.ofSeconds(60)).until(() -> a.ready() == 200 && b.ready() == 200 && c.ready() == 200);
    }

    @Test
    @Order(4)
    void theOperatorTakesTwoReplicasOutOfServiceAndTheFleetAlertFiresUntilTheyAreBack() {
        await().atMost(ALERT_WITHIN)
                .until(() -> firing(JOB, "HealthFleetMostlyUnready").isEmpty());
        int mark = received.size();
        assertThat(b.send("POST", "/health/out-of-service?reason=e2e&by=operations-test"))
                .isEqualTo(200);
        assertThat(c.send("POST", "/health/out-of-service?reason=e2e&by=operations-test"))
                .isEqualTo(200);
        assertThat(Http.get(b.http, "/health/ready").body()).contains("(e2e), by operations-test");
        assertThat(Http.status(b.http, "/health/live")).isEqualTo(200);

        awaitAlert(mark, "firing", "HealthFleetMostlyUnready", Map.of("job", JOB));

        assertThat(b.send("DELETE", "/health/out-of-service")).isEqualTo(200);
        assertThat(c.send("DELETE", "/health/out-of-service")).isEqualTo(200);
        awaitAlert(mark, "resolved", "HealthFleetMostlyUnready", Map.of("job", JOB));
    }

    // ---------------------------------------------------------------- plumbing

    /** Every duration of the rules compressed 60 times: minutes become seconds, hours minutes. */
    static String compressTime(String rules) {
        String out = Pattern.compile("for: (\\d+)m\\b").matcher(rules).replaceAll("for: $1s");
        out = Pattern.compile("for: (\\d+)h\\b").matcher(out).replaceAll("for: $1m");
        return Pattern.compile("\\[(\\d+)m]").matcher(out).replaceAll("[$1s]");
    }

    private Notified awaitAlert(String status, String alertname, Map<String, String> labels) {
        return awaitAlert(0, status, alertname, labels);
    }

    /** Waits for a notification at or after index {@code from}; checks the annotations every runbook entry needs. */
    private Notified awaitAlert(int from, String status, String alertname, Map<String, String> labels) {
        Notified[] found = new Notified[1];
        await().atMost(ALERT_WITHIN)
                .pollInterval(Duration.ofMillis(200))
                .alias(status + " " + alertname + " " + labels + "; received so far: " + summary())
                .until(() -> {
                    List<Notified> all = received.subList(from, received.size());
                    for (Notified n : all) {
                        if (n.status().equals(status)
                                && alertname.equals(n.alertname())
                                && n.labels().entrySet().containsAll(labels.entrySet())) {
                            found[0] = n;
                            return true;
                        }
                    }
                    return false;
                });
        Notified n = found[0];
        assertThat(n.labels()).containsEntry("job", JOB).containsKey("severity");
        assertThat(n.annotations())
                .containsEntry("runbook_url", "docs/runbook.md#" + alertname.toLowerCase(java.util.Locale.ROOT))
                .containsKey("summary")
                .containsKey("description");
        if (n.labels().containsKey("instance")) {
            assertThat(n.annotations().get("summary")).contains(n.labels().get("instance"));
        }
        return n;
    }

    /** The label sets of an alert whose latest notification is {@code firing}. */
    private List<Map<String, String>> firing(String job, String alertname) {
        Map<Map<String, String>, String> latest = new HashMap<>();
        for (Notified n : received) {
            if (alertname.equals(n.alertname()) && job.equals(n.labels().get("job"))) {
                latest.put(n.labels(), n.status());
            }
        }
        List<Map<String, String>> out = new ArrayList<>();
        latest.forEach((l, s) -> {
            if (s.equals("firing")) {
                out.add(l);
            }
        });
        return out;
    }

    private String summary() {
        StringBuilder sb = new StringBuilder();
        for (Notified n : received) {
            sb.append(n.status())
                    .append(' ')
                    .append(n.alertname())
                    .append(' ')
                    .append(n.labels().get("instance"))
                    .append(' ')
                    .append(n.labels().get("check"))
                    .append("; ");
        }
        return sb.toString();
    }

    private Path license(Duration validFor) throws Exception {
        Path p = Files.createTempFile(tmp, "license", ".txt");
        Files.writeString(
                p,
                LicenseTool.issue(
                        issuer.getPrivate(),
                        "Example Hospital",
                        Instant.now().plus(validFor).toString(),
                        List.of()));
        return p;
    }

    private void start(Path binary, Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(List.of(args));
        processes.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start());
    }

    private static int status(int port, String path) {
        try {
            return Http.status(port, path);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** @return docs/monitoring/health-alerts.yml of this checkout */
    static Path rules() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/monitoring/health-alerts.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("docs/monitoring/health-alerts.yml not found above the working directory");
        }
        return dir.resolve("docs/monitoring/health-alerts.yml");
    }

    /** The first of the names found on the PATH; skips (or, when required, fails) the test when none is. */
    static Path binary(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String message = "'" + names[0] + "' is not installed (Debian: apt-get install prometheus"
                + " prometheus-alertmanager); the operations end-to-end test is skipped";
        if ("true".equalsIgnoreCase(System.getenv(REQUIRE_ENV))) {
            fail(message + " (" + REQUIRE_ENV + "=true makes this a failure)");
        }
        assumeTrue(false, message);
        return null;
    }
}
