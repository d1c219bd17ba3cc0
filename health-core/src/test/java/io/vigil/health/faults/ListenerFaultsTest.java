package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.spi.HealthListener;
import io.vigil.health.test.Background;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Listeners that misbehave: throw an Error, block, or are slow. */
class ListenerFaultsTest {
    private final Faults faults = new Faults();
    private final CountDownLatch unblock = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        unblock.countDown();
        faults.closeAll();
    }

    private static final HealthListener THROWS_ERROR = new HealthListener() {
        @Override
        public void onCheckEvaluated(CheckEntry status) {
            throw new NoClassDefFoundError("io/micrometer/core/instrument/Timer"); // a missing optional jar
        }
    };

    private final HealthListener blocks = new HealthListener() {
        @Override
        public void onCheckEvaluated(CheckEntry status) {
            try {
                unblock.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    };

    private static final class Recording implements HealthListener {
        final List<CheckEntry> evaluated = new CopyOnWriteArrayList<>();

        @Override
        public void onCheckEvaluated(CheckEntry status) {
            evaluated.add(status);
        }
    }

    @Test
    void aListenerThatThrowsAnErrorLeavesHealthyChecksHealthy() {
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .listener(THROWS_ERROR)
                .build());
        Faults.Counting check = new Faults.Counting();
        health.register(
                "fine", check, CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        for (int i = 0; i < 3; i++) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        }
        assertThat(check.calls).hasValue(3);
    }

    @Test
    void aListenerThatThrowsAnErrorDoesNotStopBackgroundRefresh() {
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .listener(THROWS_ERROR)
                .build());
        Faults.Counting check = new Faults.Counting();
        health.register(
                "refreshed",
                check,
                CheckPolicy.builder().refreshEvery(Duration.ofMillis(10)).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> check.calls.get() >= 5);
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void aBlockingListenerDelaysOnlyItsOwnDeliveries() throws Exception {
        Recording other = new Recording();
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .listener(blocks)
                .listener(other)
                .build());
        health.register(
                "fine",
                new Faults.Counting(),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(200))
                        .build());
        for (int i = 0; i < 5; i++) {
            // bounded: a probe must not wait for a listener
            Outcome o = Background.supply(() -> health.evaluate(Probe.READINESS).outcome())
                    .get(10, TimeUnit.SECONDS);
            assertThat(o).isEqualTo(Outcome.UP);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> other.evaluated.size() == 5);
    }

    @Test
    void aFullListenerQueueDropsTheOldestEventsAndCountsThem() {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        CountDownLatch firstTaken = new CountDownLatch(1);
        HealthListener slowRecorder = new HealthListener() {
            @Override
            public void onCheckEvaluated(CheckEntry status) {
                firstTaken.countDown();
                try {
                    unblock.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.add(((Number) status.data().get("n")).intValue());
            }
        };
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .eventQueueCapacity(10)
                .listener(slowRecorder)
                .build());
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        health.register(
                "counter",
                () -> io.vigil.health.CheckResult.up().withData("n", n.incrementAndGet()),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        health.evaluate(Probe.READINESS);
        try {
            assertThat(firstTaken.await(10, TimeUnit.SECONDS)).isTrue(); // event 1 is being delivered
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        for (int i = 0; i < 49; i++) {
            health.evaluate(Probe.READINESS);
        }
        assertThat(health.engineStats().droppedEvents()).isEqualTo(39);
        unblock.countDown();
        assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
        assertThat(seen)
                .as("the one in delivery, then the newest ten")
                .containsExactly(1, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50);
    }

    @Test
    void listenerFailuresAreCounted() {
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .listener(THROWS_ERROR)
                .build());
        health.register(
                "fine",
                new Faults.Counting(),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        for (int i = 0; i < 3; i++) {
            health.evaluate(Probe.READINESS);
        }
        assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
        assertThat(health.engineStats().listenerFailures()).isEqualTo(3);
    }

    @Test
    void aSlowListenerNeverTurnsAFinishedResultIntoATimeout() {
        HealthListener slow = new HealthListener() {
            @Override
            public void onCheckEvaluated(CheckEntry status) {
                try {
                    unblock.await(2, TimeUnit.SECONDS); // far slower than the check's timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        HealthRegistry health = faults.track(
                HealthRegistry.builder().startedImmediately().listener(slow).build());
        health.register(
                "quick",
                new Faults.Counting(),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(200))
                        .build());
        for (int i = 0; i < 3; i++) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        }
    }
}
