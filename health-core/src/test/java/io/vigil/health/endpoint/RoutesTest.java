package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Probe;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoutesTest {
    private final Routes routes = new Routes("/health", Set.of("R4", "STU3"));

    @ParameterizedTest
    @CsvSource({
        "/health, ALL",
        "/health/, ALL",
        "/healthz, ALL",
        "/R4/health, ALL",
        "/health/live, LIVENESS",
        "/livez, LIVENESS",
        "/$liveness, LIVENESS",
        "/R4/$liveness, LIVENESS",
        "/STU3/health/live/, LIVENESS",
        "/health/ready, READINESS",
        "/readyz, READINESS",
        "/$readiness, READINESS",
        "/R4/readyz, READINESS",
        "/health/started, STARTUP"
    })
    void probePathsAndAliasesNameTheirProbe(String path, String expected) {
        Route r = routes.resolve(path);
        assertThat(r).isNotNull();
        assertThat(r.group()).isNull();
        assertThat(r.probe() == null ? "ALL" : r.probe().name()).isEqualTo(expected);
    }

    @Test
    void groupPathsNameTheirGroup() {
        assertThat(routes.resolve("/health/group/core")).isEqualTo(new Route(null, "core"));
        assertThat(routes.resolve("/R4/health/group/core/")).isEqualTo(new Route(null, "core"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/healthy",
                "/health/nope",
                "/health/group",
                "/health/group/",
                "/health/group/a/b",
                "/R5/health",
                "/R4",
                "/R4/R4/health",
                "/live",
                "/x/health",
                "/health//live",
                "//health"
            })
    void otherPathsNameNothing(String path) {
        assertThat(routes.resolve(path)).isNull();
    }

    @Test
    void anEmptyBasePathServesTheProbesAtTheMountRoot() {
        Routes root = new Routes("", Set.of());
        assertThat(root.resolve("/")).isEqualTo(Route.ALL);
        assertThat(root.resolve("/ready")).isEqualTo(Route.READY);
        assertThat(root.resolve("/group/core")).isEqualTo(new Route(null, "core"));
        assertThat(root.resolve("/health")).isNull();
        assertThat(root.resolve("/livez").probe()).isEqualTo(Probe.LIVENESS);
    }
}
