package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The properties every fuzzed request must keep, whatever part of it is fuzzed: the handler answers (no exception),
 * never with a 5xx (the registry's checks all pass or are optional), with a body that is valid JSON unless plain
 * text or the (well-formed) status page was asked for, and never echoes the fuzzed
 * input unescaped. One registry and handler for all fuzz tests of the parsing parts.
 */
final class FuzzedAnswers {
    static final String SECRET = "s3cr3t-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HealthRegistry HEALTH =
            HealthRegistry.builder().startedImmediately().logTransitions(false).build();
    static final HealthHandler HANDLER;

    static {
        // optional, so that every health answer is a 200 and any 5xx is a finding
        HEALTH.register(
                "db",
                () -> CheckResult.down("password=" + SECRET + " refused"),
                CheckPolicy.builder().optional().build());
        HEALTH.register(
                "cache",
                CheckResult::up,
                CheckPolicy.builder().optional().groups("core").build());
        HEALTH.register(
                "alive",
                CheckResult::up,
                CheckPolicy.builder().probes(Probe.LIVENESS).build());
        HANDLER = HealthHandler.builder(HEALTH)
                .versionPrefixes("R4")
                .details(DetailsPolicy.WHEN_AUTHORIZED)
                .build();
    }

    private FuzzedAnswers() {}

    /**
     * @param r     the answer
     * @param input the fuzzed part of the request
     */
    static void assertClean(HealthResponse r, String input) {
        assertThat(r.status()).isBetween(200, 499);
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("Exception", "\tat ", SECRET);
        String type = r.contentType() == null ? "" : r.contentType();
        if (type.contains("json")) {
            try {
                assertThat(JSON.readTree(r.body()).isObject()).isTrue();
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        } else if (type.startsWith("text/html")) {
            assertThat(r.headers()).containsKey("Content-Security-Policy");
            io.vigil.health.format.WellFormed.parse(body);
        } else {
            assertThat(r.body().length == 0 || type.startsWith("text/plain"))
                    .as(type)
                    .isTrue();
        }
        if (input.length() >= 4 && input.chars().anyMatch(c -> c == '"' || c == '\\' || c == '<' || c < 0x20)) {
            assertThat(body).as("fuzzed input echoed unescaped").doesNotContain(input);
        }
    }
}
