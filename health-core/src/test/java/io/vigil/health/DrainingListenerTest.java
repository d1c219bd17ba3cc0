package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.spi.HealthListener;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Listeners learn when draining begins (the gRPC Watch streams turn NOT_SERVING on it), once. */
class DrainingListenerTest {

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
}
