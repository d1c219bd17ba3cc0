package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the transport-neutral handler with arbitrary methods, paths, queries and {@code Accept} headers: every
 * answer is a success, a 402/423/503 of the health semantics, or a clean 4xx with an OperationOutcome body; never
 * a 500, never an exception, never a stack trace or a secret in the body. {@code mvn verify} replays the seed
 * inputs (src/test/resources/.../HealthHandlerFuzzTestInputs); {@code -Pfuzz} fuzzes for real.
 */
class HealthHandlerFuzzTest {
    private static final String SECRET = "s3cr3t-token";
    private static final HealthRegistry HEALTH =
            HealthRegistry.builder().startedImmediately().logTransitions(false).build();
    private static final HealthHandler HANDLER;

    static {
        HEALTH.register("db", () -> CheckResult.down("password=" + SECRET + " refused"));
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

    @AfterAll
    static void close() {
        HEALTH.close();
    }

    @FuzzTest(maxDuration = "60s")
    void everyRequestGetsAHealthAnswerOrACleanClientError(FuzzedDataProvider data) {
        String method = data.pickValue(new String[] {"GET", "HEAD", "POST", "OPTIONS", "get", data.consumeString(8)});
        String path = data.consumeString(200);
        String query = data.consumeBoolean() ? null : data.consumeString(200);
        String accept = data.consumeBoolean() ? null : data.consumeString(100);
        boolean authorized = data.consumeBoolean();
        if (method.isEmpty()) {
            method = "GET";
        }
        HealthResponse r = HANDLER.handle(HealthRequest.builder(method, path)
                .query(query)
                .accept(accept)
                .authorized(authorized)
                .build());
        assertThat(r.status()).isIn(200, 204, 400, 402, 404, 405, 406, 414, 423, 503);
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
        String body = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(body).doesNotContain("Exception", "\tat ", SECRET);
        if (r.status() >= 400 && r.status() < 500) {
            assertThat(body).contains("OperationOutcome");
        }
    }
}
