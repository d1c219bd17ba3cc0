package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.health.license.tool.LicenseTool;
import io.vigil.health.test.Background;
import io.vigil.health.test.EmbeddedPostgresServer;
import io.vigil.health.test.EmbeddedRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as Kubernetes would run it: configured from the ConfigMap in {@code examples/k8s}, probed exactly as
 * the Deployment's probes say by a kubelet-faithful probe loop ({@link Kubelet}), against a real PostgreSQL and a
 * real Redis, which the scenario stops and starts. At each step the test asserts the decisions kubelet would take:
 * ready or not, restart or not.
 *
 * <p>The probe loop runs on a virtual clock advanced explicitly; wherever the service changes state on its own
 * (a dependency stops, a cache expires), the test first waits for that state with a bounded Awaitility wait and only
 * then lets kubelet probe, so every decision is deterministic.
 */
class KubeletScenarioTest {
    private static final String TOKEN = "admin-token-for-the-scenario-0123456789";
    private static final String REDIS_PASSWORD = "redis-Pa55-word";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final Manifests manifests = Manifests.load();
    private final OffsetClock clock = new OffsetClock();
    private final CountDownLatch migrationGate = new CountDownLatch(1);
    private EmbeddedPostgresServer postgres;
    private EmbeddedRedis redis;
    private ExampleService service;
    private KeyPair issuer;
    private Path licenseFile;

    @BeforeEach
    void startDependencies() throws Exception {
        postgres = EmbeddedPostgresServer.start();
        postgres.execute("CREATE DATABASE app OWNER " + EmbeddedPostgresServer.APP_USER);
        redis = EmbeddedRedis.builder().requirePass(REDIS_PASSWORD).start();
        issuer = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        licenseFile = tmp.resolve("license.txt");
        writeLicense(Duration.ofDays(365));
    }

    @AfterEach
    void stopEverything() {
        migrationGate.countDown();
        if (service != null) {
            service.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private void writeLicense(Duration validFor) throws Exception {
        Files.writeString(
                licenseFile,
                LicenseTool.issue(
                        issuer.getPrivate(),
                        "Example Hospital",
                        clock.instant().plus(validFor).toString(),
                        List.of("fhir")));
    }

    private ExampleConfig config() {
        Map<String, String> env = new java.util.HashMap<>(manifests.configMapEnvironment());
        env.put("VIGIL_HTTP_PORT", "0");
        env.put("VIGIL_MANAGEMENT_PORT", "0");
        env.put("VIGIL_DB_URL", postgres.url("app"));
        env.put("VIGIL_DB_USER", EmbeddedPostgresServer.APP_USER);
        env.put("VIGIL_DB_PASSWORD", EmbeddedPostgresServer.APP_PASSWORD);
        env.put("VIGIL_REDIS_URL", "redis://:" + REDIS_PASSWORD + "@127.0.0.1:" + redis.port());
        env.put("VIGIL_LICENSE_FILE", licenseFile.toString());
        env.put(
                "VIGIL_LICENSE_PUBLIC_KEY",
                Base64.getEncoder().encodeToString(issuer.getPublic().getEncoded()));
        env.put("VIGIL_ADMIN_TOKEN", TOKEN);
        return ExampleConfig.fromEnvironment(env);
    }

    private Kubelet kubelet() {
        int http = manifests.containerPort("http");
        int management = manifests.containerPort("management");
        return new Kubelet(
                manifests.probe("startupProbe"),
                manifests.probe("livenessProbe"),
                manifests.probe("readinessProbe"),
                Map.of(http, service.httpPort(), management, service.managementPort()));
    }

    private int status(String path, String... headers) {
        return Http.status(service.httpPort(), path, headers);
    }

    private String readinessOutcome() {
        String body = Http.get(service.httpPort(), "/health/ready").body();
        int i = body.indexOf("\"outcome\":\"");
        return i < 0 ? body : body.substring(i + 11, body.indexOf('"', i + 11));
    }

    private void awaitReadiness(String outcome) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> assertThat(readinessOutcome()).isEqualTo(outcome));
    }

    @Test
    void kubeletTakesTheRightDecisionsThroughTheWholeLifeOfThePod() throws Exception {
        ExampleConfig config = config();
        assertThat(config.licenseFailsLiveness()).as("the ConfigMap's choice").isFalse();
        service = ExampleService.start(config, new Hooks(clock, clock::nanos, d -> {
            if (!migrationGate.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never let the migration finish");
            }
        }));
        Kubelet kubelet = kubelet();

        // 1. Start-up migration: startup fails, liveness and readiness are not even asked, no restart.
        assertThat(status("/health/ready")).isEqualTo(423);
        assertThat(status("/health/live")).isEqualTo(200);
        kubelet.run(31);
        assertThat(kubelet.started()).as(kubelet.history()).isFalse();
        assertThat(kubelet.ready()).isFalse();
        assertThat(kubelet.probesSent("startupProbe")).isEqualTo(16);
        assertThat(kubelet.probesSent("livenessProbe"))
                .as("liveness before startup passed")
                .isZero();
        assertThat(kubelet.probesSent("readinessProbe")).isZero();
        assertThat(kubelet.restarts()).as(kubelet.history()).isEmpty();

        migrationGate.countDown();
        await().atMost(WAIT).until(() -> service.health().isStarted());
        kubelet.run(10);
        assertThat(kubelet.started()).as(kubelet.history()).isTrue();
        assertThat(kubelet.ready()).as(kubelet.history()).isTrue();

        // 2. Steady state: ready, liveness probed and passing.
        int livenessBefore = kubelet.probesSent("livenessProbe");
        kubelet.run(30);
        assertThat(kubelet.ready()).isTrue();
        assertThat(kubelet.probesSent("livenessProbe")).isGreaterThan(livenessBefore);
        assertThat(kubelet.restarts()).as(kubelet.history()).isEmpty();
        assertThat(Http.get(service.httpPort(), "/api/notes").body()).contains("Liveness never looks at dependencies");

        // 3. Redis (optional) stopped: degraded but ready, no restart.
        redis.stop();
        awaitReadiness("DEGRADED");
        assertThat(status("/health/ready")).isEqualTo(200);
        kubelet.run(30);
        assertThat(kubelet.ready()).as(kubelet.history()).isTrue();
        assertThat(kubelet.restarts()).as(kubelet.history()).isEmpty();
        redis.start();
        awaitReadiness("UP");

        // 4. PostgreSQL (required) stopped: not ready, but liveness stays 200, so no restart.
        postgres.stop();
        awaitReadiness("DOWN");
        assertThat(status("/health/live")).isEqualTo(200);
        kubelet.run(40);
        assertThat(kubelet.ready()).as(kubelet.history()).isFalse();
        assertThat(kubelet.restarts()).as(kubelet.history()).isEmpty();

        // 5. PostgreSQL back: ready again without a restart of anything.
        postgres.restart();
        awaitReadiness("UP");
        kubelet.run(10);
        assertThat(kubelet.ready()).as(kubelet.history()).isTrue();

        // 6. Reindex at runtime: 423, not ready, no restart; cancelled: ready again.
        assertThat(Http.send("POST", service.httpPort(), "/admin/tasks/reindex?seconds=600")
                        .statusCode())
                .isEqualTo(401);
        assertThat(Http.send(
                                "POST",
                                service.httpPort(),
                                "/admin/tasks/reindex?seconds=600",
                                "Authorization",
                                "Bearer wrong-" + TOKEN)
                        .statusCode())
                .isEqualTo(401);
        assertThat(Http.send(
                                "POST",
                                service.httpPort(),
                                "/admin/tasks/reindex?seconds=600",
                                "Authorization",
                                "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(202);
        assertThat(status("/health/ready")).isEqualTo(423);
        kubelet.run(30);
        assertThat(kubelet.ready()).as(kubelet.history()).isFalse();
        assertThat(kubelet.restarts()).as(kubelet.history()).isEmpty();
        assertThat(Http.send("DELETE", service.httpPort(), "/admin/tasks/reindex", "Authorization", "Bearer " + TOKEN)
                        .statusCode())
                .isEqualTo(200);
        awaitReadiness("UP");
        kubelet.run(10);
        assertThat(kubelet.ready()).as(kubelet.history()).isTrue();

        // 7. License expired: 402 on readiness; with the ConfigMap's VIGIL_LICENSE_FAILS_LIVENESS=false liveness
        //    stays 200: out of rotation, no restart loop. A renewed license brings it back.
        clock.advance(Duration.ofDays(366));
        awaitReadiness("LICENSE_INVALID");
        assertThat(status("/health/ready")).isEqualTo(402);
        assertThat(status("/health/live")).isEqualTo(200);
        kubelet.run(40);
        assertThat(kubelet.ready()).as(kubelet.history()).isFalse();
        assertThat(kubelet.restarts()).as(kubelet.history()).isEmpty();
        writeLicense(Duration.ofDays(365));
        clock.advance(Duration.ofMinutes(2)); // past the registry's 60 s license cache
        awaitReadiness("UP");
        kubelet.run(10);
        assertThat(kubelet.ready()).as(kubelet.history()).isTrue();

        // 8. SIGTERM: readiness 503 at once, liveness 200, the in-flight request finishes, the process stops in time.
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/api/work?ms=4000"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(WAIT).until(() -> service.inFlight().active() == 1);
        kubelet.podDeleted();
        int port = service.httpPort();
        CompletableFuture<Void> sigterm = Background.run(service::shutdown);
        await().atMost(WAIT).until(() -> service.health().isDraining());
        assertThat(Http.status(port, "/health/ready")).isEqualTo(503);
        assertThat(Http.status(port, "/health/live")).isEqualTo(200);
        kubelet.run(10);
        assertThat(kubelet.ready()).as(kubelet.history()).isFalse();
        assertThat(kubelet.restarts()).as(kubelet.history()).isEmpty();
        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        sigterm.get(config.drainTimeout().plus(ExampleService.STOP_TIMEOUT).toSeconds() + 5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> Http.get(port, "/health/live"))
                .as("ports closed after the drain")
                .isInstanceOf(java.io.UncheckedIOException.class);
    }
}
