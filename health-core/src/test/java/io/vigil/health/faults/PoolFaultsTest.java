package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.BreakerState;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool fills up: liveness must keep answering, and a rejection is nobody's failure. */
class PoolFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    @Test
    void livenessAnswersWhileHungReadinessChecksHoldEveryThreadOfThePool() throws Exception {
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .maxThreads(2)
                .build());
        Faults.Hang db = new Faults.Hang();
        Faults.Hang cache = new Faults.Hang();
        CheckPolicy hung = CheckPolicy.builder()
                .cacheTtl(Duration.ZERO)
                .timeout(Duration.ofMillis(500))
                .build();
        health.register(
                "event-loop",
                new Faults.Counting(),
                CheckPolicy.builder()
                        .probes(Probe.LIVENESS)
                        .cacheTtl(Duration.ZERO)
                        .circuitBreaker(1, Duration.ofMinutes(5))
                        .build());
        try {
            // one new execution per probe, so each takes a pool thread of its own and keeps it
            health.register("db", db, hung);
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            db.awaitEntered();
            health.register("cache", cache, hung);
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            cache.awaitEntered(); // both pool threads are now stuck
            for (int i = 0; i < 5; i++) {
                CheckEntry live = health.evaluate(Probe.LIVENESS).checks().get(0);
                assertThat(live.status()).isEqualTo(Status.UP);
                assertThat(live.breaker()).isEqualTo(BreakerState.CLOSED);
            }
        } finally {
            db.release.countDown();
            cache.release.countDown();
        }
    }

    @Test
    void aOneThreadPoolRunsEveryCheckOfAProbeInTurnAndRejectsNone() {
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .maxThreads(1)
                .build());
        CheckPolicy uncached = CheckPolicy.builder()
                .cacheTtl(Duration.ZERO)
                .timeout(Duration.ofSeconds(5))
                .build();
        // the first check outlasts the probe's wait for its one hand-off, so the rest look for threads of their own
        health.register(
                "slow",
                () -> {
                    Thread.sleep(100);
                    return CheckResult.up();
                },
                uncached);
        health.register("quick-1", new Faults.Counting(), uncached);
        health.register("quick-2", new Faults.Counting(), uncached);

        for (CheckEntry s : health.evaluate(Probe.READINESS).checks()) {
            assertThat(s.status()).as(s.name() + ": " + s.message()).isEqualTo(Status.UP);
        }
        assertThat(health.engineStats().rejectedExecutions()).isZero();
    }

    @Test
    void anExecutorWithNoThreadToSpareHandsTheCheckToTheOverflowLaneNotToTheProbingThread() {
        AtomicBoolean full = new AtomicBoolean(true);
        Executor sometimesFull = task -> {
            if (full.get()) {
                throw new RejectedExecutionException("pool full");
            }
            new Thread(task).start();
        };
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .executor(sometimesFull)
                .build());
        java.util.List<String> ranOn = new java.util.concurrent.CopyOnWriteArrayList<>();
        health.register(
                "db",
                () -> {
                    ranOn.add(Thread.currentThread().getName());
                    return CheckResult.up();
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .thresholds(1, 3)
                        .circuitBreaker(1, Duration.ofMinutes(5))
                        .build());

        CheckEntry overflowed = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(overflowed.status()).isEqualTo(Status.UP);
        assertThat(ranOn).singleElement().asString().startsWith("vigil-health-overflow");
        assertThat(health.engineStats().rejectedExecutions()).isZero();

        full.set(false);
        assertThat(health.evaluate(Probe.READINESS).checks().get(0).status()).isEqualTo(Status.UP);
        assertThat(ranOn).hasSize(2);
    }
}
