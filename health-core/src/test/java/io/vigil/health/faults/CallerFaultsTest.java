package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Callers that misbehave: interrupted while waiting, or asking for a view with {@code ?exclude=}. */
class CallerFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    @Test
    void anInterruptedCallerGetsAnAnswerOfItsOwnAndChangesNothingForOthers() throws Exception {
        List<CheckEntry> evaluated = new CopyOnWriteArrayList<>();
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .listener(new HealthListener() {
                    @Override
                    public void onCheckEvaluated(CheckEntry status) {
                        evaluated.add(status);
                    }
                })
                .build());
        Faults.Hang slow = new Faults.Hang();
        health.register(
                "slow",
                slow,
                CheckPolicy.builder().timeout(Duration.ofSeconds(20)).build());
        ExecutorService callers = faults.closeLater(new Closing(Executors.newFixedThreadPool(2))).pool;

        AtomicReference<HealthReport> interruptedAnswer = new AtomicReference<>();
        AtomicBoolean flagKept = new AtomicBoolean();
        CountDownLatch returned = new CountDownLatch(1);
        Future<?> first = callers.submit(() -> {
            try {
                interruptedAnswer.set(health.evaluate(Probe.READINESS));
                flagKept.set(Thread.currentThread().isInterrupted());
            } finally {
                returned.countDown();
            }
        });
        slow.awaitEntered();
        Future<HealthReport> second = callers.submit(() -> health.evaluate(Probe.READINESS)); // joins the same call
        first.cancel(true); // interrupts the first caller, as a container abandoning a request does

        assertThat(returned.await(10, TimeUnit.SECONDS))
                .as("the interrupted caller returns at once")
                .isTrue();
        CheckEntry own = interruptedAnswer.get().checks().get(0);
        assertThat(own.status()).isEqualTo(Status.DOWN);
        assertThat(own.message()).contains("probe interrupted");
        assertThat(flagKept).as("the caller keeps its interrupt flag").isTrue();
        assertThat(second.isDone())
                .as("the other caller still waits for the real result")
                .isFalse();
        assertThat(slow.interrupts).as("nothing interrupts the check").hasValue(0);

        slow.release.countDown();
        assertThat(second.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(slow.calls).hasValue(1);
        assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
        assertThat(evaluated).extracting(CheckEntry::status).containsExactly(Status.UP);
        assertThat(health.lastOutcome(Probe.READINESS)).isEqualTo(Outcome.UP);
    }

    @Test
    void anEvaluationWithExclusionsNeverMarksTheApplicationStarted() {
        HealthRegistry health =
                faults.track(HealthRegistry.builder().logTransitions(false).build());
        health.register(
                "warm-up",
                CheckResult::up,
                CheckPolicy.builder().probes(Probe.STARTUP).build());
        health.register(
                "other",
                CheckResult::up,
                CheckPolicy.builder().probes(Probe.STARTUP).build());

        HealthReport view = health.evaluate(Scope.of(Probe.STARTUP), Set.of("other"));

        assertThat(view.checks()).extracting(CheckEntry::name).containsExactly("warm-up");
        assertThat(health.isStarted()).isFalse();
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        health.evaluate(Probe.STARTUP); // the real startup probe does mark it
        assertThat(health.isStarted()).isTrue();
    }

    @Test
    void evaluationsWithExclusionsAreViewsThatNeverChangeTheStoredOutcome() {
        List<Outcome> transitions = new CopyOnWriteArrayList<>();
        List<String> evaluatedScopes = new CopyOnWriteArrayList<>();
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .listener(new HealthListener() {
                    @Override
                    public void onOutcomeTransition(Outcome from, HealthReport report) {
                        transitions.add(report.outcome());
                    }

                    @Override
                    public void onProbeEvaluated(HealthReport report, Duration took) {
                        evaluatedScopes.add(report.scope().label());
                    }
                })
                .build());
        health.register("bad", () -> CheckResult.down("refused"));
        health.register("good", CheckResult::up);

        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        for (int i = 0; i < 5; i++) {
            assertThat(health.evaluate(Scope.of(Probe.READINESS), Set.of("bad")).outcome())
                    .isEqualTo(Outcome.UP);
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        }

        assertThat(health.lastOutcome(Probe.READINESS)).isEqualTo(Outcome.DOWN);
        // a last real transition; events reach a listener in order, so once it arrived everything before it did
        health.unregister("bad");
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> transitions.size() >= 2);
        assertThat(transitions).containsExactly(Outcome.DOWN, Outcome.UP);
        assertThat(evaluatedScopes).hasSize(7).containsOnly("readiness");
    }

    /** Shuts a pool down (interrupting its threads) after the test. */
    private record Closing(ExecutorService pool) implements AutoCloseable {
        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
