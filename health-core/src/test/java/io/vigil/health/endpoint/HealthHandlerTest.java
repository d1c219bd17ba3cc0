package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.TaskLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The handler's orchestration: who is asked, which status policy answers, what a sink receives. */
class HealthHandlerTest {
    private final HealthRegistry registry =
            HealthRegistry.builder().startedImmediately().logTransitions(false).build();

    @AfterEach
    void close() {
        registry.close();
    }

    private static HealthRequest get(String path) {
        return HealthRequest.builder("GET", path).build();
    }

    /** Records what a transport would be told. */
    private static final class Recording implements ResponseSink {
        final List<String> calls = new ArrayList<>();

        @Override
        public void status(int code) {
            calls.add("status " + code);
        }

        @Override
        public void header(String name, String value) {
            calls.add(name + ": " + value);
        }

        @Override
        public void body(byte[] bytes) {
            calls.add("body " + bytes.length);
        }
    }

    @ParameterizedTest
    @EnumSource(DetailsPolicy.class)
    void theAuthorizerIsAskedOnlyUnderWhenAuthorizedAndOnlyOnce(DetailsPolicy policy) {
        registry.register("db", () -> CheckResult.up().withData("product", "H2"));
        HealthHandler handler = HealthHandler.builder(registry).details(policy).build();
        AtomicInteger asked = new AtomicInteger();
        DetailsAuthorizer<String> authorizer = caller -> asked.incrementAndGet() > 0 && caller.equals("admin");
        HealthResponse r = handler.handle(get("/health"), "admin", authorizer);
        assertThat(asked).hasValue(policy == DetailsPolicy.WHEN_AUTHORIZED ? 1 : 0);
        assertThat(new String(r.body(), StandardCharsets.UTF_8).contains("H2"))
                .isEqualTo(policy != DetailsPolicy.NEVER);
        assertThat(handler.handle(get("/health"), "guest", authorizer).body())
                .isNotEqualTo(policy == DetailsPolicy.WHEN_AUTHORIZED ? r.body() : new byte[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/nope", "/health/group/none", "/health?verbose=maybe"})
    void theAuthorizerIsNotAskedForAnswersWithoutAReport(String target) {
        HealthHandler handler = HealthHandler.builder(registry)
                .details(DetailsPolicy.WHEN_AUTHORIZED)
                .build();
        AtomicInteger asked = new AtomicInteger();
        int q = target.indexOf('?');
        HealthRequest request = HealthRequest.builder("GET", q < 0 ? target : target.substring(0, q))
                .query(q < 0 ? null : target.substring(q + 1))
                .build();
        assertThat(handler.handle(request, "x", c -> asked.incrementAndGet() > 0)
                        .status())
                .isIn(400, 404);
        assertThat(handler.handle(
                                HealthRequest.builder("OPTIONS", "/health").build(),
                                "x",
                                c -> asked.incrementAndGet() > 0)
                        .status())
                .isEqualTo(204);
        assertThat(asked).hasValue(0);
    }

    @Test
    void anAuthorizerThatThrowsIsA500WithoutItsMessage() {
        HealthHandler handler = HealthHandler.builder(registry)
                .details(DetailsPolicy.WHEN_AUTHORIZED)
                .build();
        HealthResponse r = handler.handle(get("/health"), "x", c -> {
            throw new IllegalStateException("token store password=hunter2");
        });
        assertThat(r.status()).isEqualTo(500);
        assertThat(new String(r.body(), StandardCharsets.UTF_8))
                .contains("OperationOutcome")
                .doesNotContain("hunter2");
    }

    @Test
    void theStatusPolicyDecidesStatusAndHeaders() {
        registry.register(
                "cache",
                () -> CheckResult.down("gone"),
                CheckPolicy.builder().optional().build());
        HealthResponse plain = HealthHandler.builder(registry).build().handle(get("/health/ready"));
        HealthResponse consul = HealthHandler.builder(registry)
                .statusPolicy(StatusPolicy.consul())
                .build()
                .handle(get("/health/ready"));
        HealthResponse envoy = HealthHandler.builder(registry)
                .statusPolicy(StatusPolicy.envoy())
                .build()
                .handle(get("/health/ready"));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.headers()).doesNotContainKey("x-envoy-degraded");
        assertThat(consul.status()).isEqualTo(429);
        assertThat(envoy.status()).isEqualTo(200);
        assertThat(envoy.headers())
                .containsEntry("x-envoy-degraded", "true")
                .containsEntry("Cache-Control", "no-store");
        assertThat(envoy.body()).isEqualTo(consul.body()); // the body follows the outcome, not the status
    }

    @Test
    void retryAfterFollowsTheMappedStatus() {
        try (TaskLock lock = registry.lock("migration", "v42", Duration.ofMillis(90_500))) {
            HealthResponse locked = HealthHandler.builder(registry).build().handle(get("/health/ready"));
            assertThat(locked.status()).isEqualTo(423);
            assertThat(Long.parseLong(locked.headers().get("Retry-After"))).isBetween(1L, 91L);
            HealthResponse relabelled = HealthHandler.builder(registry)
                    .statusPolicy(StatusPolicy.builder()
                            .status(io.vigil.health.Outcome.LOCKED, 500)
                            .build())
                    .build()
                    .handle(get("/health/ready"));
            assertThat(relabelled.status()).isEqualTo(500);
            assertThat(relabelled.headers()).doesNotContainKey("Retry-After");
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void aSinkGetsStatusHeadersLengthAndBodyInOrder() throws IOException {
        HealthResponse r = HealthHandler.builder(registry).build().handle(get("/health"));
        Recording sink = new Recording();
        r.writeTo(sink);
        assertThat(sink.calls).first().isEqualTo("status 200");
        assertThat(sink.calls).contains("Cache-Control: no-store", "X-Content-Type-Options: nosniff");
        assertThat(sink.calls.get(sink.calls.size() - 2)).isEqualTo("Content-Length: " + r.body().length);
        assertThat(sink.calls).last().isEqualTo("body " + r.body().length);
    }

    @Test
    void headAnnouncesTheLengthOfGetAndSendsNoBody() throws IOException {
        HealthHandler handler = HealthHandler.builder(registry).build();
        HealthResponse get = handler.handle(get("/health"));
        Recording sink = new Recording();
        handler.handle(HealthRequest.builder("HEAD", "/health").build()).writeTo(sink);
        assertThat(sink.calls).last().isEqualTo("Content-Length: " + get.body().length);
        assertThat(sink.calls).noneMatch(c -> c.startsWith("body"));
    }

    @Test
    void noContentCarriesNeitherLengthNorBody() throws IOException {
        Recording sink = new Recording();
        HealthHandler.builder(registry)
                .build()
                .handle(HealthRequest.builder("OPTIONS", "/health").build())
                .writeTo(sink);
        assertThat(sink.calls).first().isEqualTo("status 204");
        assertThat(sink.calls)
                .contains("Allow: GET, HEAD, OPTIONS")
                .noneMatch(c -> c.startsWith("Content-Length") || c.startsWith("body"));
    }

    @Test
    void theMachineryFailureAnswerHasTheHeadersOfEveryError() {
        HealthResponse missing = HealthResponse.machineryFailure("GET", "The health machinery is not available");
        HealthResponse notFound = HealthHandler.builder(registry).build().handle(get("/nope"));
        assertThat(missing.status()).isEqualTo(500);
        assertThat(missing.headers()).isEqualTo(notFound.headers());
        assertThat(new String(missing.body(), StandardCharsets.UTF_8)).contains("\"exception\"");
        assertThat(HealthResponse.machineryFailure("HEAD", "x").head()).isTrue();
    }

    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @Test
    void aBrowserGetsThePageWithItsPolicyAndHeadGetsItsHeaders() throws IOException {
        registry.register("db", () -> CheckResult.down("refused"));
        HealthHandler handler =
                HealthHandler.builder(registry).versionPrefixes("R4").build();
        HealthResponse page = handler.handle(
                HealthRequest.builder("GET", "/R4/$readiness").accept(BROWSER).build());
        assertThat(page.status()).isEqualTo(503);
        assertThat(page.contentType()).isEqualTo("text/html;charset=UTF-8");
        assertThat(page.headers())
                .containsEntry(
                        "Content-Security-Policy", io.vigil.health.format.StatusPageWriter.CONTENT_SECURITY_POLICY)
                .containsEntry("Cache-Control", "no-store")
                .containsEntry("X-Content-Type-Options", "nosniff");
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertThat(html)
                .contains(
                        "Readiness: <span class=\"s down\">DOWN</span>",
                        "href=\"health/live\"",
                        "href=\"health\"",
                        "content=\"5\"");
        io.vigil.health.format.WellFormed.parse(html);
        Recording head = new Recording();
        HealthResponse headResponse = handler.handle(
                HealthRequest.builder("HEAD", "/R4/$readiness").accept(BROWSER).build());
        headResponse.writeTo(head);
        assertThat(head.calls)
                .contains(
                        "status 503",
                        "Content-Type: text/html;charset=UTF-8",
                        "Content-Security-Policy: " + io.vigil.health.format.StatusPageWriter.CONTENT_SECURITY_POLICY,
                        "Content-Length: " + headResponse.body().length)
                .noneMatch(c -> c.startsWith("body"));
        assertThat(headResponse.body().length).isGreaterThan(1000);
        HealthResponse json = handler.handle(
                HealthRequest.builder("GET", "/R4/$readiness").accept("*/*").build());
        assertThat(json.contentType()).startsWith("application/json");
        assertThat(json.headers()).doesNotContainKey("Content-Security-Policy");
    }

    @Test
    void thePageShowsTheStatusItIsAnsweredWithNotTheDefaultTable() {
        registry.register(
                "cache",
                () -> CheckResult.down("gone"),
                CheckPolicy.builder().optional().build());
        HealthResponse page = HealthHandler.builder(registry)
                .statusPolicy(StatusPolicy.consul())
                .build()
                .handle(HealthRequest.builder("GET", "/health/ready")
                        .accept(BROWSER)
                        .build());
        assertThat(page.status()).isEqualTo(429);
        assertThat(new String(page.body(), StandardCharsets.UTF_8))
                .contains("HTTP 429")
                .doesNotContain("HTTP 200");
    }

    @Test
    void thePageShowsTheOtherProbesLastOutcomesWithoutEvaluatingThem() {
        AtomicInteger calls = new AtomicInteger();
        registry.register(
                "db",
                () -> {
                    calls.incrementAndGet();
                    return CheckResult.up();
                },
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        HealthHandler handler =
                HealthHandler.builder(registry).pageRefresh(Duration.ZERO).build();
        handler.handle(get("/health/live"));
        int before = calls.get();
        String html = new String(
                handler.handle(HealthRequest.builder("GET", "/health/ready")
                                .accept(BROWSER)
                                .build())
                        .body(),
                StandardCharsets.UTF_8);
        assertThat(calls.get() - before).as("only readiness is evaluated").isEqualTo(1);
        assertThat(html)
                .contains(
                        "liveness</a> <span class=\"s up\">UP</span>",
                        "startup</a> <span class=\"s unknown\">NOT ASKED YET</span>")
                .doesNotContain("http-equiv");
    }

    @Test
    void thePageRefreshRejectsNegativePeriods() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> HealthHandler.builder(registry).pageRefresh(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
