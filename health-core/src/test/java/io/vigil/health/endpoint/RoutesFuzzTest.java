package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Set;

/**
 * Fuzzes routing: never an exception; a group route names one path segment; a path names a route in the handler
 * exactly when the handler does not answer 404 for it; and every answer is clean ({@link FuzzedAnswers}).
 * {@code mvn verify} replays the seeds in src/test/resources/.../RoutesFuzzTestInputs; {@code -Pfuzz} fuzzes for
 * real.
 */
class RoutesFuzzTest {
    private static final Routes ROUTES = new Routes("/health", Set.of("R4"));

    @FuzzTest(maxDuration = "60s")
    void anyPathNamesARouteOrNothing(FuzzedDataProvider data) {
        String method = data.pickValue(new String[] {"GET", "HEAD", "OPTIONS", "DELETE"});
        String path = "/" + data.consumeRemainingAsString();
        Route route = ROUTES.resolve(path);
        if (route != null) {
            assertThat(route.probe() != null && route.group() != null)
                    .as("probe or group, not both")
                    .isFalse();
            if (route.group() != null) {
                assertThat(route.group()).isNotEmpty().doesNotContain("/");
            }
        }
        HealthResponse r =
                FuzzedAnswers.HANDLER.handle(HealthRequest.builder(method, path).build());
        FuzzedAnswers.assertClean(r, path);
        boolean plain = path.indexOf('%') < 0 && path.length() <= HealthHandler.MAX_PATH;
        if (plain && route == null) {
            assertThat(r.status()).isEqualTo(404);
        }
        if (plain && route != null && (route.group() == null || route.group().equals("core"))) {
            assertThat(r.status()).isNotEqualTo(404);
        }
    }
}
