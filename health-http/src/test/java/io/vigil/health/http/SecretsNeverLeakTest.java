package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.test.LogCapture;
import io.vigil.health.test.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Upstream URLs with credentials and tokens, and bearer tokens in headers, are used for real against real
 * servers, in every failure mode; none of them may appear in any representation or any log line.
 */
class SecretsNeverLeakTest {
    private static final String PASSWORD = "pw-s3cr3t-1";
    private static final String QUERY_TOKEN = "qt-s3cr3t-2";
    private static final String BEARER = "bt-s3cr3t-3";
    private static final String USER = "svc-user-4";
    private static final List<String> SECRETS = List.of(
            PASSWORD,
            QUERY_TOKEN,
            BEARER,
            USER,
            Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8)));

    @Test
    void credentialsQueryTokensAndAuthorizationHeadersAppearNowhere() throws Exception {
        List<String> outputs = new ArrayList<>();
        try (Upstream upstream = Upstream.http();
                LogCapture vigil = LogCapture.of("io.vigil");
                LogCapture everything = LogCapture.of("ROOT");
                HealthRegistry registry =
                        HealthRegistry.builder().startedImmediately().build()) {
            String auth = USER + ":" + PASSWORD + "@";
            String query = "?token=" + QUERY_TOKEN + "&api_key=" + QUERY_TOKEN;
            Duration quick = Duration.ofMillis(200);
            int closed = Ports.free();
            CheckPolicy policy = CheckPolicy.builder()
                    .cacheTtl(Duration.ZERO)
                    .timeout(Duration.ofSeconds(2))
                    .build();
            registry.register(
                    "with-userinfo",
                    HttpCheck.builder("http://" + auth + "localhost:" + upstream.port() + "/ready" + query)
                            .requestTimeout(quick)
                            .build(),
                    policy);
            registry.register(
                    "with-bearer",
                    HttpCheck.builder(upstream.url("/ready" + query))
                            .bearerToken(() -> BEARER)
                            .header("X-Api-Key", QUERY_TOKEN)
                            .requestTimeout(quick)
                            .build(),
                    policy);
            registry.register(
                    "refused",
                    HttpCheck.builder("http://" + auth + "127.0.0.1:" + closed + "/x" + query)
                            .build(),
                    policy);
            registry.register(
                    "unresolvable",
                    HttpCheck.builder("http://" + auth + "no-such-host.invalid/x" + query)
                            .build(),
                    policy);
            registry.register(
                    "header-supplier-fails",
                    HttpCheck.builder(upstream.url("/x" + query))
                            .bearerToken(() -> {
                                throw new IllegalStateException("token " + BEARER + " rejected");
                            })
                            .build(),
                    policy);
            HealthHandler handler = HealthHandler.builder(registry)
                    .details(DetailsPolicy.ALWAYS)
                    .build();

            // failing upstream: a MicroProfile body that even echoes a token in a check name
            upstream.answer(Upstream.body(
                    503,
                    "application/json",
                    "{\"status\":\"DOWN\",\"checks\":[{\"name\":\"token=" + QUERY_TOKEN + "\",\"status\":\"DOWN\"}]}"));
            render(handler, outputs);
            // then a timeout, then recovery, so transitions are logged in every direction
            upstream.answer(upstream.hang());
            registry.register(
                    "slow",
                    HttpCheck.builder("http://" + auth + "localhost:" + upstream.port() + "/slow" + query)
                            .requestTimeout(quick)
                            .build(),
                    policy);
            render(handler, outputs);
            registry.unregister("slow");
            upstream.answer(Upstream.status(200));
            render(handler, outputs);
            outputs.add(registry.evaluate(Probe.READINESS).toString());
            for (CheckEntry s : registry.latest().values()) {
                outputs.add(s.message() + " " + s.data());
            }

            // the secrets really travelled to the upstream, so the assertions below are not vacuous
            assertThat(upstream.seen())
                    .anySatisfy(s ->
                            assertThat(s.headers().getFirst("Authorization")).isEqualTo("Bearer " + BEARER));
            assertThat(upstream.seen())
                    .anySatisfy(s ->
                            assertThat(s.headers().getFirst("Authorization")).isEqualTo("Basic " + SECRETS.get(4)));
            assertThat(upstream.seen()).anySatisfy(s -> assertThat(s.rawQuery()).contains(QUERY_TOKEN));
            // details were shown, so messages and data were really rendered
            assertThat(String.join("\n", outputs))
                    .contains("localhost:" + upstream.port() + "/ready")
                    .contains("connection refused by 127.0.0.1:" + closed)
                    .contains("DNS lookup failed: cannot resolve host no-such-host.invalid")
                    .contains("timed out after 200 ms")
                    .contains("a header supplier failed");
            assertThat(registry.flushEvents(java.time.Duration.ofSeconds(10))).isTrue(); // every transition line
            assertThat(vigil.lines()).isNotEmpty();
            outputs.add(vigil.everything());
            outputs.add(everything.everything());
        }
        for (String output : outputs) {
            for (String secret : SECRETS) {
                assertThat(output).doesNotContain(secret);
            }
        }
    }

    private static void render(HealthHandler handler, List<String> outputs) {
        String[] accepts = {"application/json", "application/health+json", "application/fhir+json", "text/plain"};
        for (String path : new String[] {"/health", "/health/ready"}) {
            for (String accept : accepts) {
                outputs.add(body(handler.handle(HealthRequest.builder("GET", path)
                        .accept(accept)
                        .authorized(true)
                        .build())));
            }
            outputs.add(body(handler.handle(HealthRequest.builder("GET", path)
                    .query("verbose")
                    .accept("text/plain")
                    .authorized(true)
                    .build())));
        }
    }

    private static String body(HealthResponse r) {
        return r.status() + " " + r.headers() + "\n" + new String(r.body(), StandardCharsets.UTF_8);
    }
}
