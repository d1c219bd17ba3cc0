package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The lifecycle outside a web server, and the early probe server's start-up failures. */
class LifecycleTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(
                    VigilHealthAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class));

    @Test
    void drainingBegunOnTheRegistryIsPublishedToSpringAsRefusingTraffic() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            registry.startDraining();
            registry.evaluate(Probe.READINESS);
            assertThat(registry.flushEvents(java.time.Duration.ofSeconds(10))).isTrue(); // listeners hear shortly after
            // the mirror is a listener: its events are delivered off the probing thread
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC));
        });
    }

    @Test
    void springsRefusingTrafficDrainsAndClosingANonWebContextDrainsToo() {
        runner.run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            AvailabilityChangeEvent.publish(context, ReadinessState.REFUSING_TRAFFIC);
            assertThat(registry.isDraining()).isTrue();
        });
        HealthRegistry[] seen = new HealthRegistry[1];
        runner.run(context -> {
            seen[0] = context.getBean(HealthRegistry.class);
            assertThat(seen[0].isDraining()).isFalse();
        });
        assertThat(seen[0].isDraining()).isTrue();
    }

    @Test
    void aBadOrTakenProbePortFailsStartUpNamingTheProperty() throws Exception {
        assertThatThrownBy(() -> BootApps.start(c -> {}, new Class<?>[0], "vigil.health.port=-1"))
                .hasMessageContaining("vigil.health.port");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(
                            () -> BootApps.start(c -> {}, new Class<?>[0], "vigil.health.port=" + taken.getLocalPort()))
                    .hasMessageContaining("vigil.health.port=" + taken.getLocalPort());
        }
    }
}
