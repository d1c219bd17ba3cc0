package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.vigil.health.license.tool.LicenseTool;
import io.vigil.health.test.LogCapture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExampleServiceTest {
    private static final String TOKEN = "t0ken-0123456789-abcdef";

    @TempDir
    Path tmp;

    private static ExampleConfig config(String... pairs) {
        Map<String, String> env = new HashMap<>(
                Map.of("VIGIL_HTTP_PORT", "0", "VIGIL_MANAGEMENT_PORT", "0", "VIGIL_MIGRATION_SECONDS", "0"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ExampleConfig.fromEnvironment(env);
    }

    private static ExampleService startReady(ExampleConfig config) {
        ExampleService service = ExampleService.start(config);
        await().atMost(Duration.ofSeconds(30)).until(() -> service.health().isStarted());
        return service;
    }

    @Test
    void readinessIsLockedDuringTheMigrationAndReadyAfterIt() {
        try (ExampleService service = ExampleService.start(config("VIGIL_MIGRATION_SECONDS", "2"))) {
            int port = service.httpPort();
            HttpResponse<String> during = Http.get(port, "/health/ready");
            assertThat(during.statusCode()).isEqualTo(423);
            assertThat(during.headers().firstValue("Retry-After")).isPresent();
            assertThat(during.body()).contains("\"outcome\":\"LOCKED\"").contains("schema-migration");
            assertThat(Http.status(port, "/health/live")).isEqualTo(200);
            assertThat(Http.status(port, "/health/started")).isEqualTo(503);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Http.status(port, "/health/ready") == 200);
            assertThat(Http.get(port, "/readyz?verbose").body())
                    .contains("[+]disk ok")
                    .contains("[+]db ok");
            assertThat(Http.status(port, "/health/started")).isEqualTo(200);
            service.health().startDraining();
            assertThat(Http.status(port, "/health/ready")).isEqualTo(503);
            assertThat(Http.status(port, "/health/live")).isEqualTo(200);
        }
    }

    @Test
    void aBrowserOpeningHealthGetsTheStatusPage() {
        try (ExampleService service = startReady(config())) {
            String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
            java.net.http.HttpResponse<String> page = Http.get(service.httpPort(), "/health", "Accept", browser);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                    .startsWith("default-src 'none';");
            assertThat(page.body())
                    .contains(
                            "<h1 id=\"outcome\">All checks: <span class=\"s ",
                            "<strong>db</strong>",
                            "href=\"health/ready\"");
            assertThat(Http.get(service.httpPort(), "/health")
                            .headers()
                            .firstValue("Content-Type")
                            .orElseThrow())
                    .startsWith("application/json");
        }
    }

    @Test
    void everyHealthPathOfTheIssueAnswersOnTheApiPortAndOnlyThere() {
        try (ExampleService service = startReady(config())) {
            for (String path : List.of(
                    "/health",
                    "/health/live",
                    "/health/ready",
                    "/health/started",
                    "/livez",
                    "/readyz",
                    "/healthz",
                    "/$liveness",
                    "/$readiness",
                    "/health/group/dependencies")) {
                assertThat(Http.status(service.httpPort(), path)).as(path).isEqualTo(200);
                assertThat(Http.status(service.httpPort(), "/R4" + path))
                        .as("/R4" + path)
                        .isEqualTo(200);
                assertThat(Http.status(service.managementPort(), path))
                        .as("management " + path)
                        .isEqualTo(404);
            }
            assertThat(Http.status(service.httpPort(), "/health/nothing")).isEqualTo(404);
            assertThat(Http.get(service.httpPort(), "/api/notes").body()).contains("\"notes\":[{\"id\":1");
        }
    }

    @Test
    void adminEndpointsAnswer401WithoutTheBearerTokenAndRunTheReindexUnderALock() {
        try (ExampleService service = startReady(config("VIGIL_ADMIN_TOKEN", TOKEN))) {
            int port = service.httpPort();
            String path = "/admin/tasks/reindex?seconds=600";
            HttpResponse<String> anonymous = Http.send("POST", port, path);
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue(AdminServlet.REALM);
            assertThat(anonymous.body()).contains("OperationOutcome").doesNotContain(TOKEN);
            assertThat(Http.send("POST", port, path, "Authorization", "Bearer " + TOKEN + "x")
                            .statusCode())
                    .isEqualTo(401);
            assertThat(Http.send("POST", port, path, "Authorization", "Basic " + TOKEN)
                            .statusCode())
                    .isEqualTo(401);
            assertThat(Http.status(port, "/health/ready")).isEqualTo(200);

            String[] auth = {"Authorization", "Bearer " + TOKEN};
            assertThat(Http.send("POST", port, "/admin/tasks/reindex?seconds=0", auth)
                            .statusCode())
                    .isEqualTo(400);
            HttpResponse<String> started = Http.send("POST", port, path, auth);
            assertThat(started.statusCode()).isEqualTo(202);
            assertThat(started.body()).contains("\"lock\":\"reindex\"").contains("\"seconds\":600");
            HttpResponse<String> locked = Http.get(port, "/health/ready");
            assertThat(locked.statusCode()).isEqualTo(423);
            assertThat(locked.headers().firstValue("Retry-After").map(Long::parseLong))
                    .hasValueSatisfying(s -> assertThat(s).isBetween(600L, 600 + Reindexer.LOCK_SLACK.toSeconds()));
            assertThat(Http.status(port, "/health/live")).isEqualTo(200);
            assertThat(Http.send("POST", port, path, auth).statusCode())
                    .as("one at a time")
                    .isEqualTo(409);
            assertThat(Http.get(port, "/admin/tasks/reindex", auth).body()).contains("\"running\":true");
            assertThat(Http.send("DELETE", port, "/admin/tasks/reindex", auth).statusCode())
                    .isEqualTo(200);
            assertThat(Http.status(port, "/health/ready"))
                    .as("lock released by the cancel")
                    .isEqualTo(200);
            assertThat(Http.send("DELETE", port, "/admin/tasks/reindex", auth).statusCode())
                    .isEqualTo(404);
            assertThat(Http.send("PUT", port, "/admin/tasks/reindex", auth).statusCode())
                    .isEqualTo(405);
        }
    }

    @Test
    void withoutAnAdminTokenAdminEndpointsAnswer401AndDetailsStayHidden() {
        try (ExampleService service = startReady(config())) {
            int port = service.httpPort();
            HttpResponse<String> r = Http.send("POST", port, "/admin/tasks/reindex", "Authorization", "Bearer ");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).contains("VIGIL_ADMIN_TOKEN is not set");
            assertThat(Http.get(port, "/health", "Authorization", "Bearer anything")
                            .body())
                    .doesNotContain("\"data\"");
        }
    }

    @Test
    void detailsAreShownToBearersOfTheAdminTokenOnly() {
        try (ExampleService service = startReady(config("VIGIL_ADMIN_TOKEN", TOKEN))) {
            int port = service.httpPort();
            assertThat(Http.get(port, "/health").body())
                    .doesNotContain("\"data\"")
                    .doesNotContain("H2");
            assertThat(Http.get(port, "/health", "Authorization", "Bearer nope").body())
                    .doesNotContain("\"data\"");
            assertThat(Http.get(port, "/health", "Authorization", "Bearer " + TOKEN)
                            .body())
                    .contains("\"data\"")
                    .contains("\"database\":\"H2\"");
        }
        try (ExampleService service = startReady(config("VIGIL_HEALTH_DETAILS", "always"))) {
            assertThat(Http.get(service.httpPort(), "/health").body()).contains("\"database\":\"H2\"");
        }
        try (ExampleService service = startReady(config("VIGIL_HEALTH_DETAILS", "never", "VIGIL_ADMIN_TOKEN", TOKEN))) {
            assertThat(Http.get(service.httpPort(), "/health", "Authorization", "Bearer " + TOKEN)
                            .body())
                    .doesNotContain("\"data\"");
        }
    }

    @Test
    void managementPortServesHealthJvmThreadProcessAndPoolMetricsForPrometheus() {
        try (ExampleService service = startReady(config())) {
            assertThat(Http.status(service.httpPort(), "/health/ready")).isEqualTo(200);
            HttpResponse<String> metrics = Http.get(service.managementPort(), "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(
                            ct -> assertThat(ct).startsWith("text/plain").contains("version=0.0.4"));
            assertThat(metrics.body())
                    .contains("health_check_status{check=\"db\"} 1.0")
                    .contains("health_check_status{check=\"deadlocks\"}")
                    .contains("health_probe_status{probe=\"readiness\"} 1.0")
                    .contains("health_locks_active 0.0")
                    .contains("jvm_memory_used_bytes{")
                    .contains("jvm_threads_live_threads ")
                    .contains("process_uptime_seconds ")
                    .contains("process_cpu_usage ")
                    .contains("hikaricp_connections_max{pool=\"example\"} 10.0");
            assertThat(Http.status(service.httpPort(), "/metrics"))
                    .as("not on the API port")
                    .isEqualTo(404);
        }
    }

    @Test
    void aFailingUpstreamFailsReadinessButNotLivenessAndItsTokenNeverShows() throws Exception {
        AtomicInteger upstreamStatus = new AtomicInteger(200);
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.sendResponseHeaders(upstreamStatus.get(), -1);
            exchange.close();
        });
        upstream.start();
        String secret = "upstream-secret-4711";
        String url = "http://127.0.0.1:" + upstream.getAddress().getPort() + "/status?access_token=" + secret;
        try (ExampleService service = startReady(config("VIGIL_UPSTREAM_URL", url, "VIGIL_HEALTH_DETAILS", "always"))) {
            int port = service.httpPort();
            assertThat(Http.status(port, "/health/ready")).isEqualTo(200);
            upstreamStatus.set(503);
            await().atMost(Duration.ofSeconds(10)).until(() -> Http.status(port, "/health/ready") == 503);
            String body = Http.get(port, "/health/group/dependencies").body();
            assertThat(body)
                    .contains("\"name\":\"upstream\",\"status\":\"DOWN\"")
                    .contains("HTTP 503")
                    .doesNotContain(secret);
            assertThat(Http.status(port, "/health/live")).isEqualTo(200);
        } finally {
            upstream.stop(0);
        }
    }

    @Test
    void anExpiredLicenseAnswers402OnLivenessAndReadinessByDefault() throws Exception {
        KeyPair issuer = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path license = tmp.resolve("license.txt");
        Files.writeString(
                license,
                LicenseTool.issue(
                        issuer.getPrivate(),
                        "Example Hospital",
                        Instant.now().minus(Duration.ofDays(1)).toString(),
                        List.of()));
        Path key = tmp.resolve("issuer.pub");
        Files.writeString(
                key,
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder()
                                .encodeToString(issuer.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        try (ExampleService service = startReady(
                config("VIGIL_LICENSE_FILE", license.toString(), "VIGIL_LICENSE_PUBLIC_KEY", key.toString()))) {
            assertThat(Http.status(service.httpPort(), "/health/live")).isEqualTo(402);
            assertThat(Http.status(service.httpPort(), "/health/ready")).isEqualTo(402);
            assertThat(Http.get(service.managementPort(), "/metrics").body()).contains("health_license_valid 0.0");
        }
    }

    @Test
    void aTakenPortFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ExampleConfig config = config("VIGIL_HTTP_PORT", Integer.toString(taken.getLocalPort()));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExampleService.start(config))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Thread.getAllStackTraces().keySet().stream()
                            .noneMatch(t -> t.getName().startsWith("example-")));
        }
    }

    @Test
    void theConfigurationIsPrintedAtStartWithEverySecretMasked() {
        String dbPassword = "db-Pa55-word-0815";
        String redisPassword = "redis-Pa55-word-0815";
        String query = "api-key-0815";
        try (LogCapture log = LogCapture.of("io.vigil.health");
                ExampleService service = startReady(config(
                        "VIGIL_DB_PASSWORD",
                        dbPassword,
                        "VIGIL_ADMIN_TOKEN",
                        TOKEN,
                        "VIGIL_REDIS_URL",
                        "redis://:" + redisPassword + "@127.0.0.1:1",
                        "VIGIL_UPSTREAM_URL",
                        "http://127.0.0.1:1/health?key=" + query,
                        "VIGIL_DB_URL",
                        "jdbc:h2:mem:masking;DB_CLOSE_DELAY=-1",
                        "VIGIL_DB_USER",
                        "sa"))) {
            assertThat(service.health().isStarted()).isTrue();
            assertThat(service.health().flushEvents(java.time.Duration.ofSeconds(10)))
                    .isTrue(); // transition lines too
            String all = log.everything();
            assertThat(all)
                    .contains("VIGIL_DB_PASSWORD=****** (set)")
                    .contains("VIGIL_ADMIN_TOKEN=****** (set)")
                    .contains("VIGIL_REDIS_URL=redis://***@127.0.0.1:1")
                    .contains("VIGIL_UPSTREAM_URL=http://127.0.0.1:1/health?***")
                    .doesNotContain(dbPassword)
                    .doesNotContain(redisPassword)
                    .doesNotContain(TOKEN)
                    .doesNotContain(query);
        }
    }
}
