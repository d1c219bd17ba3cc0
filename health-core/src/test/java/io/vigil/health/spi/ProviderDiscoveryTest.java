package io.vigil.health.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.health.HealthRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderDiscoveryTest {

    @AfterEach
    void disarm() {
        FailingProvider.armed = false;
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vigil-health"))
                .count();
    }

    @Test
    void aThrowingProviderFailsTheBuildNamingItAndLeavesNoEngineThreadBehind() {
        long before = engineThreads();
        FailingProvider.armed = true;

        assertThatThrownBy(() -> HealthRegistry.builder().discoverChecks().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(FailingProvider.class.getName());

        await("the half-built registry is closed")
                .atMost(Duration.ofSeconds(10))
                .until(() -> engineThreads() <= before);
    }

    @Test
    void withoutDiscoveryNoProviderIsCalled() {
        FailingProvider.armed = true;
        try (HealthRegistry health = HealthRegistry.builder().build()) {
            assertThat(health.checkNames()).isEmpty();
        }
    }
}
