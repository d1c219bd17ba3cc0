package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vigil.health.HealthRegistry;

/**
 * Fuzzes query parsing: never an exception; a refusal carries no parameters; every excluded name is a possible
 * check name; and through the handler a clean answer ({@link FuzzedAnswers}). {@code mvn verify} replays the seeds
 * in src/test/resources/.../QueryParametersFuzzTestInputs; {@code -Pfuzz} fuzzes for real.
 */
class QueryParametersFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void anyQueryGetsParametersOrACleanRefusal(FuzzedDataProvider data) {
        String path = data.pickValue(new String[] {"/health", "/health/ready", "/health/live", "/R4/$readiness"});
        String raw = data.consumeRemainingAsString();
        QueryParameters q = QueryParameters.parse(raw);
        if (q.error() != null) {
            assertThat(q.exclude()).isEmpty();
            assertThat(q.verbose()).isFalse();
        }
        q.exclude()
                .forEach(name -> assertThat(name)
                        .isNotEmpty()
                        .hasSizeLessThanOrEqualTo(HealthRegistry.MAX_NAME_LENGTH)
                        .matches(n -> n.chars().noneMatch(Character::isISOControl)));
        HealthResponse r = FuzzedAnswers.HANDLER.handle(
                HealthRequest.builder("GET", path).query(raw).authorized(true).build());
        FuzzedAnswers.assertClean(r, raw);
        if (q.error() != null && raw.length() <= HealthHandler.MAX_QUERY) {
            assertThat(r.status()).isEqualTo(400);
        }
    }
}
