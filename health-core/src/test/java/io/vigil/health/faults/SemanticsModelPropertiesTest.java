package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.faults.SemanticsModel.Answer;
import io.vigil.health.faults.SemanticsModel.Behaviour;
import io.vigil.health.test.Background;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The real engine against {@link SemanticsModel}, driven by the same random schedules: pool sizes 1–4 or an
 * executor that runs tasks on the caller, pooled, inline and asynchronous checks, other checks hung on the engine's
 * threads, interrupted callers, re-registration while an execution is in flight, thresholds, the breaker and ticker
 * steps. Every answer of the check under test must be the model's (an interrupted caller may also get its own
 * {@code INTERRUPTED} view, and must record exactly what the check produced). {@code mvn verify} runs the default
 * tries (src/test/resources/junit-platform.properties); {@code -Pfaults-long} runs it for about ten minutes.
 */
class SemanticsModelPropertiesTest {
    /** Long enough that an instant call never overruns it on a loaded machine; a hang costs this much real time. */
    private static final Duration TIMEOUT = Duration.ofMillis(800);

    private static final Duration HOG_TIMEOUT = Duration.ofMillis(50);
    private static final long ANSWER_SECONDS = 20;

    enum Kind {
        POOLED,
        INLINE,
        ASYNC
    }

    enum Lane {
        POOL,
        CALLER_RUNS
    }

    enum Op {
        PROBE,
        INTERRUPTED_PROBE,
        HOG,
        RELEASE,
        REREGISTER_IN_FLIGHT,
        STEP_TICKER
    }

    record Action(Op op, Behaviour behaviour, int tickerSeconds) {}

    record Setup(
            Kind kind,
            Lane lane,
            int threads,
            int failureThreshold,
            int successThreshold,
            int breakerFailures,
            int backoffSeconds) {}

    /** The check under test: plays the behaviour it is told, and fails if called with the caller's interrupt. */
    static final class Scripted implements HealthCheck {
        volatile Behaviour next = Behaviour.UP;
        volatile CountDownLatch release = new CountDownLatch(1);
        volatile CountDownLatch blockEntered; // set for one call that blocks within its timeout
        volatile CountDownLatch unblock;
        final AtomicInteger calls = new AtomicInteger();
        private final boolean inline;

        Scripted(boolean inline) {
            this.inline = inline;
        }

        @Override
        public boolean nonBlocking() {
            return inline;
        }

        @Override
        public CheckResult check() throws Exception {
            calls.incrementAndGet();
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("the caller's interrupt reached the check"); // lockInterruptibly
            }
            CountDownLatch entered = blockEntered;
            if (entered != null) {
                blockEntered = null;
                entered.countDown();
                unblock.await(10, TimeUnit.SECONDS);
                return CheckResult.up();
            }
            return switch (next) {
                case UP -> CheckResult.up();
                case DOWN -> CheckResult.down("refused");
                case THROW -> throw new IllegalStateException("boom");
                case HANG -> {
                    CountDownLatch r = release;
                    while (true) {
                        try {
                            if (r.await(60, TimeUnit.SECONDS)) {
                                yield CheckResult.up();
                            }
                        } catch (InterruptedException ignored) {
                            // a hung call ignores interrupts
                        }
                    }
                }
            };
        }
    }

    /** The same script as an asynchronous check: a hang is a stage that completes on release. */
    static final class ScriptedAsync implements AsyncHealthCheck {
        final Scripted script = new Scripted(false);

        @Override
        public CompletionStage<CheckResult> checkAsync(CheckContext context) {
            if (script.next == Behaviour.HANG && script.blockEntered == null) {
                script.calls.incrementAndGet();
                CompletableFuture<CheckResult> f = new CompletableFuture<>();
                CountDownLatch r = script.release;
                Background.run(() -> {
                    try {
                        r.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    f.complete(CheckResult.up());
                });
                return f;
            }
            try {
                return CompletableFuture.completedFuture(script.check());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
    }

    @Provide
    Arbitrary<Setup> setups() {
        return Combinators.combine(
                        Arbitraries.of(Kind.class),
                        Arbitraries.of(Lane.class),
                        Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 2),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(1, 30))
                .as(Setup::new);
    }

    @Provide
    Arbitrary<List<Action>> actions() {
        Arbitrary<Op> ops = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(10, Arbitraries.just(Op.PROBE)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Op.INTERRUPTED_PROBE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Op.HOG)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Op.RELEASE)),
                net.jqwik.api.Tuple.of(2, Arbitraries.just(Op.REREGISTER_IN_FLIGHT)),
                net.jqwik.api.Tuple.of(3, Arbitraries.just(Op.STEP_TICKER)));
        Arbitrary<Behaviour> behaviours = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(6, Behaviour.UP), net.jqwik.api.Tuple.of(4, Behaviour.DOWN),
                net.jqwik.api.Tuple.of(2, Behaviour.THROW), net.jqwik.api.Tuple.of(1, Behaviour.HANG));
        return Combinators.combine(ops, behaviours, Arbitraries.integers().between(1, 40))
                .as(Action::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(14);
    }

    @Property
    void theEngineAnswersWhatTheModelSays(@ForAll("setups") Setup setup, @ForAll("actions") List<Action> actions)
            throws Exception {
        MutableClock time = new MutableClock();
        HealthRegistry.Builder b = HealthRegistry.builder()
                .clock(time)
                .ticker(time::nanos)
                .startedImmediately()
                .logTransitions(false)
                .maxThreads(setup.threads());
        if (setup.lane() == Lane.CALLER_RUNS) {
            b.executor(Runnable::run);
        }
        HealthRegistry health = b.build();
        CheckPolicy.Builder pb = CheckPolicy.builder()
                .cacheTtl(Duration.ZERO)
                .timeout(TIMEOUT)
                .thresholds(setup.failureThreshold(), setup.successThreshold());
        if (setup.breakerFailures() > 0) {
            pb.circuitBreaker(setup.breakerFailures(), Duration.ofSeconds(setup.backoffSeconds()));
        }
        CheckPolicy policy = pb.build();
        SemanticsModel model = new SemanticsModel(
                setup.failureThreshold(),
                setup.successThreshold(),
                setup.breakerFailures(),
                TimeUnit.SECONDS.toNanos(setup.backoffSeconds()));
        // hogs hold engine threads for good; at most `threads` of them, so the overflow lane always has room
        int maxHogs = setup.lane() == Lane.POOL ? setup.threads() : 0;
        List<Faults.Hang> hogs = new ArrayList<>();
        List<Scripted> scripts = new ArrayList<>();
        ExecutorService prober = Executors.newSingleThreadExecutor();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Scripted c = register(health, setup.kind(), policy);
            scripts.add(c);
            for (Action a : actions) {
                switch (a.op()) {
                    case PROBE -> {
                        Behaviour beh = allowed(setup, a.behaviour());
                        c.next = beh;
                        model = compare(model, beh, time.nanos(), answer(prober, health, false), a, actions, setup);
                        if (beh == Behaviour.HANG && model.hung()) {
                            awaitStuck(health, hogs.size() + 1);
                        }
                    }
                    case INTERRUPTED_PROBE -> {
                        if (model.hung() && model.open(time.nanos()) == null) {
                            assertThat(answer(prober, health, true))
                                    .as("%s after %s in %s", a, actions, setup)
                                    .extracting(Answer::cause)
                                    .isEqualTo(Cause.INTERRUPTED); // and nothing recorded
                            continue;
                        }
                        Behaviour beh = a.behaviour() == Behaviour.HANG ? Behaviour.UP : a.behaviour();
                        c.next = beh;
                        Answer open = model.open(time.nanos());
                        CheckEntry before = health.latest("c");
                        long rejectedBefore = health.engineStats().rejectedExecutions();
                        Answer got = answer(prober, health, true);
                        if (open != null) {
                            assertThat(got).isEqualTo(open);
                            continue;
                        }
                        SemanticsModel unchanged = model.copy();
                        Answer expected = model.probe(beh, time.nanos());
                        // the caller's own view, or the execution's answer if it finished before the caller looked
                        assertThat(got)
                                .as("%s after %s in %s", a, actions, setup)
                                .isIn(expected, new Answer(Status.DOWN, Cause.INTERRUPTED, got.breaker()));
                        await().atMost(Duration.ofSeconds(ANSWER_SECONDS))
                                .until(() -> health.latest("c") != before
                                        || health.engineStats().rejectedExecutions() > rejectedBefore);
                        CheckEntry recorded = health.latest("c");
                        if (recorded == before) {
                            model = unchanged; // starved of CPU: its execution was not started in time, nothing
                            continue; // recorded
                        }
                        assertThat(new Answer(recorded.status(), recorded.cause(), recorded.breaker()))
                                .as("what the interrupted probe's execution recorded")
                                .isEqualTo(expected);
                    }
                    case HOG -> {
                        if (hogs.size() >= maxHogs) {
                            continue;
                        }
                        Faults.Hang hog = new Faults.Hang();
                        hogs.add(hog);
                        health.register(
                                "hog-" + hogs.size(),
                                hog,
                                CheckPolicy.builder()
                                        .optional()
                                        .cacheTtl(Duration.ZERO)
                                        .timeout(HOG_TIMEOUT)
                                        .build());
                        c.next = Behaviour.UP;
                        // on a machine starved of CPU the hog may not be started within its 50 ms: REJECTED, which
                        // is no failure; the next probe tries again
                        for (int k = 0; k == 0 || !hog.entered.await(1, TimeUnit.SECONDS); k++) {
                            assertThat(k).as("the hog was never started").isLessThan(20);
                            model = compare(
                                    model,
                                    Behaviour.UP,
                                    time.nanos(),
                                    answer(prober, health, false),
                                    a,
                                    actions,
                                    setup);
                        }
                    }
                    case RELEASE -> {
                        if (model.hung()) {
                            c.release.countDown();
                            model.released();
                            awaitStuck(health, hogs.size());
                            c.release = new CountDownLatch(1);
                        }
                    }
                    case REREGISTER_IN_FLIGHT -> {
                        if (model.hung() || model.open(time.nanos()) != null) {
                            continue;
                        }
                        // an execution of the old registration is in flight, within its timeout
                        CountDownLatch entered = new CountDownLatch(1);
                        c.unblock = new CountDownLatch(1);
                        c.blockEntered = entered;
                        Scripted old = c;
                        Future<Answer> inFlight = background.submit(() -> probeOnce(health, false));
                        assertThat(entered.await(ANSWER_SECONDS, TimeUnit.SECONDS))
                                .isTrue();
                        health.unregister("c");
                        c = register(health, setup.kind(), policy);
                        scripts.add(c);
                        model = model.reRegistered();
                        Behaviour beh = a.behaviour() == Behaviour.HANG ? Behaviour.DOWN : a.behaviour();
                        c.next = beh;
                        try {
                            model = compare(model, beh, time.nanos(), answer(prober, health, false), a, actions, setup);
                        } finally {
                            old.unblock.countDown();
                            inFlight.get(ANSWER_SECONDS, TimeUnit.SECONDS);
                        }
                        awaitStuck(health, hogs.size());
                    }
                    case STEP_TICKER -> time.advance(Duration.ofSeconds(a.tickerSeconds()));
                    default -> throw new IllegalStateException();
                }
            }
        } finally {
            for (Scripted s : scripts) {
                s.release.countDown();
                if (s.unblock != null) {
                    s.unblock.countDown();
                }
            }
            hogs.forEach(h -> h.release.countDown());
            prober.shutdownNow();
            background.shutdownNow();
            health.close();
        }
    }

    /**
     * Compares a probe's answer with the model's. On a machine starved of CPU an execution may not be started within
     * its timeout: {@code REJECTED}, which by the semantics changes nothing, so the model's state stays as it was.
     *
     * @return the model's state after the probe
     */
    private static SemanticsModel compare(
            SemanticsModel model, Behaviour b, long now, Answer got, Object action, Object actions, Setup setup) {
        SemanticsModel before = model.copy();
        Answer expected = model.probe(b, now);
        if (got.starved() && expected.cause() != Cause.CIRCUIT_OPEN && !before.hung()) {
            return before;
        }
        assertThat(got).as("%s after %s in %s", action, actions, setup).isEqualTo(expected);
        return model;
    }

    /** A hang on the caller's own thread is a wrong declaration, not a schedule the model covers. */
    private static Behaviour allowed(Setup setup, Behaviour b) {
        return b == Behaviour.HANG && setup.kind() == Kind.INLINE ? Behaviour.DOWN : b;
    }

    private static Scripted register(HealthRegistry health, Kind kind, CheckPolicy policy) {
        return switch (kind) {
            case POOLED, INLINE -> {
                Scripted s = new Scripted(kind == Kind.INLINE);
                health.register("c", s, policy);
                yield s;
            }
            case ASYNC -> {
                ScriptedAsync s = new ScriptedAsync();
                health.register("c", s, policy);
                yield s.script;
            }
        };
    }

    private static Answer answer(ExecutorService prober, HealthRegistry health, boolean interrupted) throws Exception {
        return prober.submit(() -> probeOnce(health, interrupted)).get(ANSWER_SECONDS, TimeUnit.SECONDS);
    }

    private static Answer probeOnce(HealthRegistry health, boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            for (CheckEntry e : health.evaluate(Probe.READINESS).checks()) {
                if (e.name().equals("c")) {
                    return new Answer(
                            e.status(),
                            e.cause(),
                            e.breaker(),
                            e.cause() == Cause.REJECTED
                                    && e.message().contains("started the check within its timeout"));
                }
            }
            throw new AssertionError("no entry for the check under test");
        } finally {
            Thread.interrupted();
        }
    }

    /** Waits until exactly this many executions are stuck (hung checks past their timeout, the hogs included). */
    private static void awaitStuck(HealthRegistry health, int n) {
        await().atMost(Duration.ofSeconds(ANSWER_SECONDS))
                .until(() -> health.engineStats().stuckExecutions() == n);
    }
}
