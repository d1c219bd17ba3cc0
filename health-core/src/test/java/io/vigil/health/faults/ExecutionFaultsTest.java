package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An execution that never ran is never a failure: busy threads or an executor that runs tasks on the caller never
 * make a healthy check DOWN, and never remove the deadline.
 */
class ExecutionFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    /** A healthy dependency that answers UP after a while (sleeping is its behaviour, not an assertion). */
    private static CheckResult slowUp(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return CheckResult.up();
    }

    @Test
    void fortyHealthyChecksOnTheDefaultPoolAreAllUp() {
        HealthRegistry health = faults.registry();
        CheckPolicy uncached = CheckPolicy.builder().cacheTtl(Duration.ZERO).build(); // default 1 s timeout
        for (int i = 0; i < 40; i++) {
            health.register("dep-" + i, () -> slowUp(300), uncached);
        }

        HealthReport report = health.evaluate(Probe.READINESS);

        for (CheckEntry c : report.checks()) {
            assertThat(c.status()).as(c.name() + ": " + c.message()).isEqualTo(Status.UP);
        }
        assertThat(report.outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void withOneThreadASlowOptionalCheckNeverMakesAnInstantRequiredOneDown() throws Exception {
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .maxThreads(1)
                .build());
        CountDownLatch slowEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        health.register(
                "slow-optional",
                () -> {
                    slowEntered.countDown();
                    release.await(5, TimeUnit.SECONDS);
                    return CheckResult.up();
                },
                CheckPolicy.builder()
                        .optional()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofSeconds(1))
                        .build());
        Faults.Counting instant = new Faults.Counting();
        health.register(
                "instant-required",
                instant,
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofSeconds(1))
                        .circuitBreaker(1, Duration.ofMinutes(1))
                        .build());
        try {
            for (int i = 0; i < 3; i++) {
                CheckEntry required = health.evaluate(Probe.READINESS).checks().get(1);
                assertThat(required.status()).as(required.message()).isEqualTo(Status.UP);
            }
            assertThat(instant.calls.get()).isEqualTo(3);
        } finally {
            release.countDown();
        }
    }

    @Test
    void anExecutionNoThreadStartedByItsDeadlineIsRejectedUncountedAndCounted() throws Exception {
        Executor full = r -> {
            throw new RejectedExecutionException("full");
        };
        // the application's executor takes nothing; the engine's overflow lane (two threads here) is then held by
        // two hung checks, so the third check of the probe finds no thread at all
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .executor(full)
                .maxThreads(4)
                .build());
        CheckPolicy p = CheckPolicy.builder()
                .cacheTtl(Duration.ZERO)
                .timeout(Duration.ofSeconds(1))
                .build();
        Faults.Hang first = new Faults.Hang();
        Faults.Hang second = new Faults.Hang();
        health.register("hung-1", first, p);
        health.register("hung-2", second, p);
        Faults.Counting quick = new Faults.Counting();
        health.register(
                "quick",
                quick,
                p.toBuilder()
                        .thresholds(1, 2)
                        .circuitBreaker(1, Duration.ofMinutes(1))
                        .build());
        try {
            CheckEntry rejected = health.evaluate(Probe.READINESS).checks().get(2);
            assertThat(rejected.cause()).isEqualTo(Cause.REJECTED);
            assertThat(rejected.breaker()).isEqualTo(BreakerState.CLOSED);
            assertThat(quick.calls.get()).isZero();
            assertThat(health.engineStats().rejectedExecutions()).isEqualTo(1);

            assertThat(health.evaluate(Probe.READINESS).checks().get(2).cause()).isEqualTo(Cause.REJECTED);
            assertThat(health.engineStats().rejectedExecutions()).isEqualTo(2);
        } finally {
            first.release.countDown();
            second.release.countDown();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            CheckEntry up = health.evaluate(Probe.READINESS).checks().get(2);
            assertThat(up.status())
                    .as("no rejection counted, so one success is UP: " + up.message())
                    .isEqualTo(Status.UP);
        });
    }

    /** Runs 1 s, past a 300 ms timeout, ignoring interrupts (as a socket read on a silent peer does). */
    private static CheckResult overrun() {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                // ignored on purpose
            }
        }
        return CheckResult.up();
    }

    @Test
    void anExecutorThatRunsTasksOnTheCallerNeverRemovesTheDeadline() {
        Executor direct = Runnable::run;
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .executor(direct)
                .build());
        CheckPolicy p = CheckPolicy.builder()
                .cacheTtl(Duration.ZERO)
                .timeout(Duration.ofMillis(300))
                .build();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        health.register(
                "slow",
                () -> {
                    ranOn.add(Thread.currentThread());
                    return overrun();
                },
                p);
        health.register(
                "second",
                () -> {
                    ranOn.add(Thread.currentThread());
                    return CheckResult.up();
                },
                p);

        HealthReport report = health.evaluate(Probe.READINESS);

        CheckEntry slow = report.checks().get(0);
        assertThat(slow.cause()).as(slow.message()).isEqualTo(Cause.TIMEOUT);
        assertThat(slow.message()).contains("timed out after 300 ms");
        assertThat(report.checks().get(1).status()).isEqualTo(Status.UP);
        assertThat(ranOn).hasSize(2).doesNotContain(Thread.currentThread());
    }
}
