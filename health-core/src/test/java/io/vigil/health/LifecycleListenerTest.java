package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.spi.HealthListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Listeners learn when the application is marked started and when draining begins (gRPC Watch streams follow). */
class LifecycleListenerTest {

    @Test
    void listenersHearOfDrainingOnceAndAfterReadinessAlreadyAnswersDown() {
        AtomicInteger heard = new AtomicInteger();
        try (HealthRegistry health = HealthRegistry.builder().startedImmediately().logTransitions(false).build()) {
            health.addListener(new HealthListener() {
                @Override
                public void onDrainingStarted() {
                    heard.incrementAndGet();
                    assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
                }
            });
            assertThat(heard).hasValue(0);
            health.startDraining();
            health.startDraining();
            assertThat(heard).hasValue(1);
            assertThat(health.isDraining()).isTrue();
        }
    }

    @Test
    void listenersHearOfTheStartOnceAndAfterReadinessNoLongerWaits() {
        AtomicInteger heard = new AtomicInteger();
        try (HealthRegistry health = HealthRegistry.builder().logTransitions(false).build()) {
            health.addListener(new HealthListener() {
                @Override
                public void onStarted() {
                    heard.incrementAndGet();
                    assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
                }
            });
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            health.markStarted();
            health.markStarted();
            assertThat(heard).hasValue(1);
        }
    }
}
