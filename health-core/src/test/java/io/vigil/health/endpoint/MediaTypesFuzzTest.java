package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vigil.health.format.MicroProfileJsonWriter;

/**
 * Fuzzes {@code Accept} negotiation: never an exception; a writer exactly when the status is 0, else 400 or 406
 * with a reason; and through the handler a clean answer ({@link FuzzedAnswers}). {@code mvn verify} replays the
 * seeds in src/test/resources/.../MediaTypesFuzzTestInputs; {@code -Pfuzz} fuzzes for real.
 */
class MediaTypesFuzzTest {
    private static final MediaTypes TYPES = new MediaTypes(
            new MicroProfileJsonWriter(false), new io.vigil.health.format.StatusPageWriter(java.time.Duration.ZERO));

    @FuzzTest(maxDuration = "60s")
    void anyAcceptHeaderGetsARepresentationOrAClean4xx(FuzzedDataProvider data) {
        String path = data.pickValue(new String[] {"/health", "/health/ready", "/livez", "/health/group/core"});
        String accept = data.consumeRemainingAsString();
        MediaTypes.Choice c = TYPES.negotiate(accept);
        assertThat(c.status()).isIn(0, 400, 406);
        assertThat(c.writer() != null).isEqualTo(c.status() == 0);
        assertThat(c.error() == null).isEqualTo(c.status() == 0);
        HealthResponse r = FuzzedAnswers.HANDLER.handle(
                HealthRequest.builder("GET", path).accept(accept).build());
        FuzzedAnswers.assertClean(r, accept);
        if (c.status() != 0) {
            assertThat(r.status()).isEqualTo(c.status());
        }
    }
}
