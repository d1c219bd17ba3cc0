package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Listeners learn when the application is marked started and when draining begins (gRPC Watch streams follow). */
class LifecycleListenerTest {

    @Test
    void listenersHearOfDrainingOnceAndAfterReadinessAlreadyAnswersDown() {
        AtomicInteger heard = new AtomicInteger();
        AtomicReference<Outcome> seen = new AtomicReference<>();
        try (HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build()) {
            health.addListener(new HealthListener() {
                @Override
                public void onDrainingStarted() {
                    heard.incrementAndGet();
                    seen.set(health.evaluate(Probe.READINESS).outcome());
                }
            });
            assertThat(heard).hasValue(0);
            health.startDraining();
            health.startDraining();
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
            assertThat(heard).hasValue(1);
            assertThat(seen).hasValue(Outcome.DOWN);
            assertThat(health.isDraining()).isTrue();
        }
    }

    @Test
    void listenersHearOfTheStartOnceAndAfterReadinessNoLongerWaits() {
        AtomicInteger heard = new AtomicInteger();
        AtomicReference<Outcome> seen = new AtomicReference<>();
        try (HealthRegistry health =
                HealthRegistry.builder().logTransitions(false).build()) {
            health.addListener(new HealthListener() {
                @Override
                public void onStarted() {
                    heard.incrementAndGet();
                    seen.set(health.evaluate(Probe.READINESS).outcome());
                }
            });
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            health.markStarted();
            health.markStarted();
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
            assertThat(heard).hasValue(1);
            assertThat(seen).hasValue(Outcome.UP);
        }
    }
}
