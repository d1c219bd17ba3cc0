package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Status;
import io.vigil.health.TaskLock;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.server.JdkHealthServer;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.Ports;
import io.vigil.health.test.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpCheckTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private Upstream upstream;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = Upstream.http();
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    private static CheckResult run(HealthCheck check) {
        // every check below must finish on its own, well within the bound
        CompletableFuture<CheckResult> f = Background.supply(() -> {
            try {
                return check.check();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(BOUND).until(f::isDone);
        return f.join();
    }

    @Test
    void healthyUpstreamIsUpWithStatusCodeAndRoundTripTime() {
        upstream.answer(Upstream.status(204));
        HttpCheck check = HttpCheck.builder(upstream.url("/ping")).build();

        CheckResult r = run(check);

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.message()).isEqualTo("HTTP 204 from " + upstream.url("/ping"));
        assertThat(r.data())
                .containsEntry("url", upstream.url("/ping"))
                .containsEntry("method", "GET")
                .containsEntry("statusCode", 204)
                .containsKey("roundTripMs");
        assertThat((Long) r.data().get("roundTripMs")).isNotNegative();
        assertThat(check.kind()).isEqualTo(CheckKind.DEPENDENCY);
        assertThat(upstream.requests()).isEqualTo(1);
        assertThat(upstream.last().headers().getFirst("User-Agent")).isEqualTo("vigil-health-check");
    }

    @Test
    void statusOutsideTheExpectedRangeIsDownNamingStatusAndRange() {
        upstream.answer(Upstream.status(500));
        CheckResult r = run(HttpCheck.builder(upstream.url("/")).build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("HTTP 500 from " + upstream.url("/") + ", expected 200-399");
        assertThat(r.data()).containsEntry("statusCode", 500);

        upstream.answer(Upstream.status(204));
        assertThat(run(HttpCheck.builder(upstream.url("/"))
                                .expectStatus(200, 200)
                                .build())
                        .message())
                .isEqualTo("HTTP 204 from " + upstream.url("/") + ", expected 200-200");
        assertThat(run(HttpCheck.builder(upstream.url("/"))
                                .expectStatus(204, 204)
                                .build())
                        .status())
                .isEqualTo(Status.UP);
    }

    @Test
    void redirectsAreJudgedAsTheyAreUnlessFollowingIsAskedFor() {
        upstream.answer(ex -> {
            if (ex.getRequestURI().getPath().equals("/old")) {
                Upstream.redirect(302, "/new").handle(ex);
            } else {
                Upstream.status(200).handle(ex);
            }
        });

        CheckResult asIs = run(HttpCheck.builder(upstream.url("/old")).build());
        CheckResult strict = run(
                HttpCheck.builder(upstream.url("/old")).expectStatus(200, 299).build());
        assertThat(upstream.requests()).isEqualTo(2);
        CheckResult followed = run(HttpCheck.builder(upstream.url("/old"))
                .expectStatus(200, 299)
                .redirects(HttpClient.Redirect.NORMAL)
                .build());

        assertThat(asIs.status()).isEqualTo(Status.UP);
        assertThat(asIs.data()).containsEntry("statusCode", 302);
        assertThat(strict.status()).isEqualTo(Status.DOWN);
        assertThat(followed.status()).isEqualTo(Status.UP);
        assertThat(followed.data()).containsEntry("statusCode", 200);
        assertThat(upstream.seen()).extracting(Upstream.Seen::rawPath).containsExactly("/old", "/old", "/old", "/new");
    }

    @Test
    void headRequestsSendHeadAndIgnoreBodyConditions() {
        upstream.answer(Upstream.status(200));
        CheckResult r = run(HttpCheck.builder(upstream.url("/"))
                .method(HttpCheck.Method.HEAD)
                .bodyContains("never there")
                .build());
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("method", "HEAD");
        assertThat(upstream.last().method()).isEqualTo("HEAD");
    }

    @Test
    void lockedUpstreamIsDegradedAndUnlicensedUpstreamIsDown() {
        upstream.answer(Upstream.status(423));
        CheckResult locked =
                run(HttpCheck.builder(upstream.url("/health/ready")).build());
        upstream.answer(Upstream.status(402));
        CheckResult unlicensed =
                run(HttpCheck.builder(upstream.url("/health/ready")).build());

        assertThat(locked.status()).isEqualTo(Status.DEGRADED);
        assertThat(locked.message()).startsWith("upstream locked");
        assertThat(locked.data()).containsEntry("statusCode", 423);
        assertThat(unlicensed.status()).isEqualTo(Status.DOWN);
        assertThat(unlicensed.message()).startsWith("upstream license expired or invalid");
    }

    @Test
    void interpretationCanBeSwitchedOff() {
        upstream.answer(Upstream.status(423));
        CheckResult r = run(HttpCheck.builder(upstream.url("/"))
                .interpretHealthResponses(false)
                .build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).startsWith("HTTP 423 from");

        upstream.answer(Upstream.body(200, "application/json", "{\"status\":\"DOWN\",\"checks\":[]}"));
        assertThat(run(HttpCheck.builder(upstream.url("/"))
                                .interpretHealthResponses(false)
                                .build())
                        .status())
                .isEqualTo(Status.UP);
    }

    @Test
    void microProfileBodyReportingDownIsDownNamingTheFailingChecks() {
        upstream.answer(Upstream.body(503, "application/json", """
                {"status":"DOWN","checks":[
                  {"name":"orders-db","status":"DOWN","data":{"x":[1,2,{"y":null}]}},
                  {"name":"cache","status":"UP"},
                  {"name":"queue","status":"DOWN"}]}"""));
        CheckResult r = run(HttpCheck.builder(upstream.url("/health/ready")).build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .isEqualTo("upstream reports DOWN, failing: orders-db, queue (HTTP 503 from "
                        + upstream.url("/health/ready") + ")");
    }

    @Test
    void healthJsonBodyIsInterpretedPassWarnAndFail() {
        upstream.answer(Upstream.body(503, "application/health+json", """
                {"status":"fail","checks":{
                  "db:responseTime":[{"status":"fail"}],
                  "disk:utilization":[{"status":"pass"}],
                  "cpu:utilization":[{"status":"warn"},{"status":"fail"}]}}"""));
        CheckResult fail = run(HttpCheck.builder(upstream.url("/health")).build());
        upstream.answer(Upstream.body(200, "application/health+json; charset=utf-8", """
                {"status":"warn","checks":{"disk:utilization":[{"status":"warn"}]}}"""));
        CheckResult warn = run(HttpCheck.builder(upstream.url("/health")).build());
        upstream.answer(Upstream.body(200, "application/health+json", "{\"status\":\"pass\"}"));
        CheckResult pass = run(HttpCheck.builder(upstream.url("/health")).build());

        assertThat(fail.status()).isEqualTo(Status.DOWN);
        assertThat(fail.message()).startsWith("upstream reports DOWN, failing: db, cpu (HTTP 503");
        assertThat(warn.status()).isEqualTo(Status.DEGRADED);
        assertThat(warn.message()).startsWith("upstream reports DEGRADED, degraded: disk (HTTP 200");
        assertThat(pass.status()).isEqualTo(Status.UP);
    }

    @Test
    void manyFailingUpstreamChecksAreListedShortAndClean() {
        StringBuilder checks = new StringBuilder();
        for (int i = 1; i <= 8; i++) {
            checks.append(i > 1 ? "," : "").append("{\"name\":\"c").append(i).append("\\n\",\"status\":\"DOWN\"}");
        }
        upstream.answer(Upstream.body(503, "application/json", "{\"status\":\"DOWN\",\"checks\":[" + checks + "]}"));
        CheckResult r = run(HttpCheck.builder(upstream.url("/")).build());
        assertThat(r.message()).startsWith("upstream reports DOWN, failing: c1, c2, c3, c4, c5, +3 more (HTTP 503");
    }

    @Test
    void aVigilServiceUpstreamIsInterpretedThroughItsRealEndpoint() throws Exception {
        try (HealthRegistry orders = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build()) {
            AtomicInteger dbUp = new AtomicInteger(0);
            orders.register(
                    "orders-db",
                    () -> dbUp.get() == 1 ? CheckResult.up() : CheckResult.down("refused"),
                    CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
            orders.register(
                    "search",
                    () -> CheckResult.down("slow"),
                    CheckPolicy.builder().optional().cacheTtl(Duration.ZERO).build());
            try (JdkHealthServer server = JdkHealthServer.builder(
                            HealthHandler.builder(orders).build())
                    .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .start()) {
                HttpCheck check = HttpCheck.builder("http://localhost:" + server.port() + "/health/ready")
                        .build();

                CheckResult down = run(check);
                dbUp.set(1);
                CheckResult degraded = run(check);
                CheckResult locked;
                try (TaskLock migration = orders.lock("schema-migration", "Migrating schema to v42")) {
                    assertThat(migration.isHeld()).isTrue();
                    locked = run(check);
                }

                assertThat(down.status()).isEqualTo(Status.DOWN);
                assertThat(down.message()).startsWith("upstream reports DOWN, failing: orders-db, search (HTTP 503");
                assertThat(degraded.status()).isEqualTo(Status.DEGRADED);
                assertThat(degraded.message()).startsWith("upstream reports DEGRADED, degraded: search (HTTP 200");
                assertThat(locked.status()).isEqualTo(Status.DEGRADED);
                assertThat(locked.message()).startsWith("upstream locked (HTTP 423");
            }
        }
    }

    @Test
    void bodyMustContainTheExpectedTextWhichIsNeverEchoed() {
        upstream.answer(Upstream.body(200, "application/fhir+json", "{\"resourceType\":\"CapabilityStatement\"}"));
        assertThat(run(HttpCheck.builder(upstream.url("/metadata"))
                                .bodyContains("CapabilityStatement")
                                .build())
                        .status())
                .isEqualTo(Status.UP);

        CheckResult r = run(HttpCheck.builder(upstream.url("/metadata"))
                .bodyContains("Bundle-xyz")
                .build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .startsWith("body does not contain the expected text (HTTP 200")
                .doesNotContain("Bundle-xyz");
    }

    @Test
    void jsonFieldMustEqualTheExpectedValue() {
        upstream.answer(Upstream.body(
                200, "application/json", "{\"state\":\"active\",\"replicas\":{\"ready\":3},\"ok\":true,\"list\":[1]}"));
        String url = upstream.url("/status");

        assertThat(run(HttpCheck.builder(url)
                                .jsonFieldEquals("/state", "active")
                                .jsonFieldEquals("/replicas/ready", "3")
                                .jsonFieldEquals("/ok", "true")
                                .build())
                        .status())
                .isEqualTo(Status.UP);
        assertThat(run(HttpCheck.builder(url)
                                .jsonFieldEquals("/state", "passive")
                                .build())
                        .message())
                .startsWith("JSON field /state is \"active\", expected \"passive\"");
        assertThat(run(HttpCheck.builder(url).jsonFieldEquals("/missing", "x").build())
                        .message())
                .startsWith("JSON field /missing not found");
        assertThat(run(HttpCheck.builder(url).jsonFieldEquals("/list", "1").build())
                        .message())
                .startsWith("JSON field /list is an array");

        upstream.answer(Upstream.body(200, "text/html", "<html>maintenance</html>"));
        assertThat(run(HttpCheck.builder(url)
                                .jsonFieldEquals("/state", "active")
                                .build())
                        .message())
                .startsWith("body is not valid JSON");
    }

    @Test
    void endlessBodyIsReadOnlyUpToTheLimitAndThenCancelled() {
        upstream.answer(upstream.endless("application/json", "{\"state\":\"active\",\"pad\":\""));

        CheckResult found = run(HttpCheck.builder(upstream.url("/stream"))
                .jsonFieldEquals("/state", "active")
                .build());
        CheckResult missing = run(HttpCheck.builder(upstream.url("/stream"))
                .maxBodyBytes(4096)
                .bodyContains("the end")
                .build());

        assertThat(found.status()).isEqualTo(Status.UP);
        assertThat(missing.status()).isEqualTo(Status.DOWN);
        assertThat(missing.message()).startsWith("body does not contain the expected text in its first 4096 bytes");
    }

    @Test
    void connectionBrokenOffMidBodyIsDown() {
        upstream.answer(Upstream.breakOffMidBody());
        CheckResult r = run(HttpCheck.builder(upstream.url("/")).build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .startsWith("connection to " + upstream.url("/")
                        + " broke off while reading the body of an HTTP 200 answer");
    }

    @Test
    void hungUpstreamIsDownWhenTheRequestTimeoutPasses() {
        upstream.answer(upstream.hang());
        CheckResult r = run(HttpCheck.builder(upstream.url("/slow"))
                .requestTimeout(Duration.ofMillis(300))
                .build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("request to " + upstream.url("/slow") + " timed out after 300 ms");
        assertThat(r.data()).doesNotContainKey("statusCode");
    }

    @Test
    void blackHoledNetworkIsDownWhenTheRequestTimeoutPasses() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", upstream.port())) {
            HttpCheck check = HttpCheck.builder("http://127.0.0.1:" + proxy.port() + "/")
                    .requestTimeout(Duration.ofMillis(300))
                    .build();
            assertThat(run(check).status()).isEqualTo(Status.UP);

            proxy.blackHole();
            CheckResult r = run(check);

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).contains("timed out after 300 ms");
        }
    }

    @Test
    void silentlyDroppedConnectIsDownWhenTheConnectTimeoutPasses() throws Exception {
        try (FullBacklog silent = new FullBacklog()) {
            CheckResult r = run(HttpCheck.builder("http://127.0.0.1:" + silent.port() + "/")
                    .connectTimeout(Duration.ofMillis(300))
                    .requestTimeout(Duration.ofSeconds(5))
                    .build());
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("connect to 127.0.0.1:" + silent.port() + " timed out after 300 ms");
        }
    }

    @Test
    void refusedConnectionIsDown() {
        int port = Ports.free();
        CheckResult r =
                run(HttpCheck.builder("http://127.0.0.1:" + port + "/health").build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("connection refused by 127.0.0.1:" + port);
    }

    @Test
    void unknownHostIsReportedAsADnsFailure() {
        CheckResult r =
                run(HttpCheck.builder("http://no-such-host.invalid/health").build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("DNS lookup failed: cannot resolve host no-such-host.invalid");
    }

    @Test
    void headerSuppliersAreAskedOnEveryCheckSoTokensRotate() {
        AtomicInteger n = new AtomicInteger();
        HttpCheck check = HttpCheck.builder(upstream.url("/"))
                .bearerToken(() -> "token-" + n.incrementAndGet())
                .header("Accept", "application/fhir+json")
                .build();

        run(check);
        run(check);

        assertThat(upstream.seen())
                .extracting(s -> s.headers().getFirst("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2");
        assertThat(upstream.last().headers().getFirst("Accept")).isEqualTo("application/fhir+json");
    }

    @Test
    void failingHeaderSupplierIsDownWithoutCallingTheUpstream() {
        HttpCheck check = HttpCheck.builder(upstream.url("/"))
                .bearerToken(() -> {
                    throw new IllegalStateException("vault sealed");
                })
                .build();
        CheckResult nullToken =
                run(HttpCheck.builder(upstream.url("/")).bearerToken(() -> null).build());

        CheckResult r = run(check);

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("cannot build the request: a header supplier failed (IllegalStateException)");
        assertThat(nullToken.status()).isEqualTo(Status.DOWN);
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void urlUserInfoIsSentAsBasicAuthenticationAndKeptOutOfTheData() {
        HttpCheck check = HttpCheck.builder(
                        "http://alice:s%3Acr%2Bet@localhost:" + upstream.port() + "/health?token=abc")
                .build();

        CheckResult r = run(check);

        String expected = Base64.getEncoder().encodeToString("alice:s:cr+et".getBytes(StandardCharsets.UTF_8));
        assertThat(upstream.last().headers().getFirst("Authorization")).isEqualTo("Basic " + expected);
        assertThat(upstream.last().rawQuery()).isEqualTo("token=abc");
        assertThat(r.data()).containsEntry("url", "http://localhost:" + upstream.port() + "/health");
        assertThat(check.toString()).doesNotContain("alice").doesNotContain("abc");
    }

    @Test
    void httpsUpstreamIsCheckedThroughTheApplicationsOwnClient() throws Exception {
        TestCertificates certs = TestCertificates.shared();
        try (Upstream secure = Upstream.https(certs.serverContext("valid"))) {
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(certs.clientContextTrusting("valid"))
                    .connectTimeout(Duration.ofSeconds(1))
                    .build();

            CheckResult trusted = run(HttpCheck.builder(secure.url("/health"))
                    .client(client)
                    .requestTimeout(Duration.ofSeconds(3))
                    .build());
            CheckResult untrusted = run(HttpCheck.builder(secure.url("/health"))
                    .requestTimeout(Duration.ofSeconds(3))
                    .build());

            assertThat(trusted.status()).isEqualTo(Status.UP);
            assertThat(trusted.message()).isEqualTo("HTTP 200 from " + secure.url("/health"));
            assertThat(untrusted.status()).isEqualTo(Status.DOWN);
            assertThat(untrusted.message()).startsWith("TLS handshake with localhost:" + secure.port() + " failed");
        }
    }

    @Test
    void builderRejectsWhatCannotWork() {
        assertThatThrownBy(() -> HttpCheck.builder("ftp://files.example.com/x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpCheck.builder("http://bob:hunter2@exa mple.com/?key=k1"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .doesNotContain("hunter2")
                .doesNotContain("k1");
        assertThatThrownBy(() -> HttpCheck.builder("http://example.com/").header("Host", "other"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpCheck.builder("http://example.com/").expectStatus(300, 200))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpCheck.builder("http://example.com/")
                        .client(HttpClient.newHttpClient())
                        .connectTimeout(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HttpCheck.builder("http://u:p@example.com/")
                        .bearerToken(() -> "t")
                        .build())
                .isInstanceOf(IllegalStateException.class);
    }
}
