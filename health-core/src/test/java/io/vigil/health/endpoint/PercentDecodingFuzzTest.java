package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes percent-decoding: never an exception; text without escapes is itself; whatever a form encoder produces
 * decodes back; and as a request path the handler answers cleanly ({@link FuzzedAnswers}). {@code mvn verify}
 * replays the seeds in src/test/resources/.../PercentDecodingFuzzTestInputs; {@code -Pfuzz} fuzzes for real.
 */
class PercentDecodingFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void decodingNeverThrowsAndRoundTrips(FuzzedDataProvider data) {
        boolean query = data.consumeBoolean();
        String raw = data.consumeRemainingAsString();
        String decoded = PercentDecoding.decode(raw, query);
        if (raw.indexOf('%') < 0 && !(query && raw.indexOf('+') >= 0)) {
            assertThat(decoded).isEqualTo(raw);
        }
        if (raw.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)) {
            assertThat(PercentDecoding.decode(URLEncoder.encode(raw, StandardCharsets.UTF_8), true))
                    .isEqualTo(raw);
        }
        String path = raw.startsWith("/") ? raw : "/health/" + raw;
        HealthResponse r =
                FuzzedAnswers.HANDLER.handle(HealthRequest.builder("GET", path).build());
        FuzzedAnswers.assertClean(r, raw);
        if (decoded == null && !query && path.length() <= HealthHandler.MAX_PATH) {
            assertThat(r.status()).isIn(400, 404); // a malformed escape in a path that could name an endpoint
        }
    }
}
