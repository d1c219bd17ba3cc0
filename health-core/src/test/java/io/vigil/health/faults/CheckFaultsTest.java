package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that misbehave: throw an Error, hang, stop being refreshed, get re-registered while hung. */
class CheckFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    private HealthRegistry registry() {
        return faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"StackOverflowError", "OutOfMemoryError", "NoClassDefFoundError", "AssertionError"})
    void aCheckThatThrowsAnErrorOnceIsDownOnceAndRunsAgainOnTheNextEvaluation(String error) {
        HealthRegistry health = registry();
        AtomicInteger calls = new AtomicInteger();
        Supplier<Error> thrown = switch (error) {
            case "StackOverflowError" -> StackOverflowError::new;
            case "OutOfMemoryError" -> () -> new OutOfMemoryError("Java heap space");
            case "NoClassDefFoundError" -> () -> new NoClassDefFoundError("com/example/Missing");
            default -> () -> new AssertionError("password=hunter2");
        };
        health.register(
                "fragile",
                () -> {
                    if (calls.incrementAndGet() == 1) {
                        throw thrown.get();
                    }
                    return CheckResult.up();
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofSeconds(5))
                        .build());

        CheckEntry first = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(first.status()).isEqualTo(Status.DOWN);
        assertThat(first.cause()).isEqualTo(Cause.EXCEPTION);
        assertThat(first.message()).contains(error).doesNotContain("hunter2");

        // the runner is clean: the check is called again and is UP
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(calls).hasValue(2);
    }

    @Test
    void aHungCheckCountsAFailurePerEvaluationSoThresholdsTripAndTheBreakerOpens() throws Exception {
        HealthRegistry health = registry();
        Faults.Hang hang = new Faults.Hang(1);
        health.register(
                "upstream",
                hang,
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(500))
                        .thresholds(3, 1)
                        .circuitBreaker(1, Duration.ofMinutes(5))
                        .build());
        try { // the breaker counts reported failures: it opens on the first one the thresholds report
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            CheckEntry timedOut = health.evaluate(Probe.READINESS).checks().get(0); // failure 1: tolerated
            assertThat(timedOut.status()).isEqualTo(Status.UP);
            assertThat(timedOut.message()).contains("tolerated failure 1/3");
            CheckEntry second = health.evaluate(Probe.READINESS).checks().get(0); // stuck: failure 2
            assertThat(second.message()).contains("tolerated failure 2/3").contains("still running after");
            CheckEntry third = health.evaluate(Probe.READINESS).checks().get(0); // stuck: failure 3
            assertThat(third.status()).isEqualTo(Status.DOWN);
            assertThat(third.cause()).isEqualTo(Cause.TIMEOUT);
            assertThat(third.message()).contains("still running after");
            assertThat(third.breaker()).isEqualTo(BreakerState.OPEN);
            assertThat(health.evaluate(Probe.READINESS).checks().get(0).cause()).isEqualTo(Cause.CIRCUIT_OPEN);
            assertThat(hang.calls)
                    .as("a stuck check costs one thread, never more")
                    .hasValue(2);
            assertThat(health.engineStats().stuckExecutions()).isEqualTo(1);
        } finally {
            hang.release.countDown();
        }
    }

    @Test
    void aBackgroundRefreshThatHasNotCompletedInTimeIsReportedStale() {
        // staleness is decided by the ticker: 91 minutes without a completed refresh of a 30 minute period is stale
        io.vigil.health.test.MutableClock time = new io.vigil.health.test.MutableClock();
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .clock(time)
                .ticker(time::nanos)
                .startedImmediately()
                .logTransitions(false)
                .build());
        Faults.Counting check = new Faults.Counting();
        health.register(
                "refreshed",
                check,
                CheckPolicy.builder()
                        .refreshEvery(Duration.ofMinutes(30))
                        .timeout(Duration.ofSeconds(1))
                        .build());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> health.latest("refreshed").status() == Status.UP);

        time.advance(Duration.ofMinutes(91)); // past max(3 x period, period + timeout)

        CheckEntry s = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(s.status()).isEqualTo(Status.DOWN);
        assertThat(s.cause().name()).isEqualTo("STALE");
        assertThat(s.message()).contains("no background refresh has completed");
    }

    @Test
    void withInterruptOnTimeoutOffTheCheckIsNeverInterruptedAndTheProbeIsFreedAtTheDeadline() throws Exception {
        HealthRegistry health = registry();
        Faults.Hang hang = new Faults.Hang();
        health.register(
                "pooled-client",
                hang,
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(500))
                        .interruptOnTimeout(false)
                        .build());
        Faults.Hang interrupted = new Faults.Hang();
        health.register(
                "default",
                interrupted,
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(500))
                        .build());
        try {
            for (CheckEntry s : health.evaluate(Probe.READINESS).checks()) {
                assertThat(s.cause()).isEqualTo(Cause.TIMEOUT);
            }
            hang.awaitEntered();
            await().atMost(Duration.ofSeconds(5)).until(() -> interrupted.interrupts.get() >= 1);
            assertThat(hang.interrupts).hasValue(0);
        } finally {
            hang.release.countDown();
            interrupted.release.countDown();
        }
    }

    @Test
    void reRegisteringAHungCheckStartsNoSecondThread() throws Exception {
        HealthRegistry health = registry();
        Faults.Hang hang = new Faults.Hang();
        CheckPolicy policy = CheckPolicy.builder()
                .cacheTtl(Duration.ZERO)
                .timeout(Duration.ofMillis(500))
                .build();
        health.register("hung", hang, policy);
        try {
            assertThat(health.evaluate(Probe.READINESS).checks().get(0).cause()).isEqualTo(Cause.TIMEOUT);
            for (int i = 0; i < 3; i++) {
                health.unregister("hung");
                health.register("hung", hang, policy);
                CheckEntry s = health.evaluate(Probe.READINESS).checks().get(0);
                assertThat(s.status()).isEqualTo(Status.DOWN);
                assertThat(s.message()).contains("still running after");
            }
            assertThat(hang.calls).hasValue(1);
        } finally {
            hang.release.countDown();
        }
    }

    @Test
    void anInterruptedCallerRecordsNoFailureForACheckStillRunningPastItsTimeout() throws Exception {
        HealthRegistry health = registry();
        Faults.Hang hang = new Faults.Hang(1);
        health.register(
                "upstream",
                hang,
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(100))
                        .thresholds(3, 1)
                        .build());
        try {
            health.evaluate(Probe.READINESS); // UP
            assertThat(health.evaluate(Probe.READINESS).checks().get(0).consecutiveFailures())
                    .isEqualTo(1);
            hang.awaitEntered();

            Thread.currentThread().interrupt();
            CheckEntry own;
            try {
                own = health.evaluate(Probe.READINESS).checks().get(0);
            } finally {
                Thread.interrupted();
            }

            assertThat(own.cause()).isEqualTo(Cause.INTERRUPTED);
            assertThat(health.latest("upstream").consecutiveFailures())
                    .as("nothing recorded")
                    .isEqualTo(1);
            assertThat(health.evaluate(Probe.READINESS).checks().get(0).consecutiveFailures())
                    .isEqualTo(2);
        } finally {
            hang.release.countDown();
        }
    }
}
