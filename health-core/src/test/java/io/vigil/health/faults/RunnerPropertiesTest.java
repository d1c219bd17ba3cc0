package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The runner's state machine under random sequences of check behaviours and probe timings, with real threads. The
 * invariants: at most one execution of a check is in flight; every probe returns by its deadline plus a small
 * bound; a check that has been stuck for more evaluations than its failure threshold is reported DOWN; liveness
 * never lacks a thread. {@code mvn verify} runs the default number of tries (src/test/resources/junit-platform.properties);
 * {@code -Pfaults-long} runs it for about ten minutes.
 */
class RunnerPropertiesTest {
    private static final Duration TIMEOUT = Duration.ofMillis(20);
    /** Scheduling slack on a loaded two-core machine: the engine itself waits at most 50 ms past a deadline. */
    private static final long BOUND_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);

    private static final int FAILURES = 2;

    enum Behaviour {
        UP,
        DOWN,
        THROW,
        ERROR,
        SLOW,
        HANG
    }

    enum Target {
        READINESS,
        LIVENESS,
        ALL
    }

    record Step(Target target, boolean concurrent, int gapMillis) {}

    /** A check that plays its script, counting executions in flight. */
    static final class Scripted implements HealthCheck {
        final List<Behaviour> script;
        final CountDownLatch end;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger maxInFlight = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean hung;

        Scripted(List<Behaviour> script, CountDownLatch end) {
            this.script = script;
            this.end = end;
        }

        @Override
        public CheckResult check() throws Exception {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Behaviour b = script.get(calls.getAndIncrement() % script.size());
                switch (b) {
                    case DOWN:
                        return CheckResult.down("refused");
                    case THROW:
                        throw new IllegalStateException("boom");
                    case ERROR:
                        throw new StackOverflowError();
                    case SLOW:
                        Thread.sleep(5);
                        return CheckResult.up();
                    case HANG: // until the try ends, ignoring interrupts: the kind of call that really gets stuck
                        hung = true;
                        while (true) {
                            try {
                                if (end.await(60, TimeUnit.SECONDS)) {
                                    return CheckResult.up();
                                }
                            } catch (InterruptedException ignored) {
                                // keep hanging
                            }
                        }
                    default:
                        return CheckResult.up();
                }
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    @Provide
    Arbitrary<List<Behaviour>> scripts() {
        return Arbitraries.of(Behaviour.class).list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(
                        Arbitraries.of(Target.class),
                        Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, 3))
                .as(Step::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(16);
    }

    @Property
    void theRunnerKeepsItsPromises(
            @ForAll("scripts") List<Behaviour> db,
            @ForAll("scripts") List<Behaviour> cache,
            @ForAll("scripts") List<Behaviour> heartbeat,
            @ForAll("steps") List<Step> steps)
            throws Exception {
        CountDownLatch end = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .maxThreads(2)
                .build();
        Scripted dbCheck = new Scripted(db, end);
        Scripted cacheCheck = new Scripted(cache, end);
        // liveness checks do not hang in production as dependencies do; one that does is still bounded below
        Scripted beat = new Scripted(
                heartbeat.stream()
                        .map(b -> b == Behaviour.HANG ? Behaviour.SLOW : b)
                        .toList(),
                end);
        CheckPolicy uncached = CheckPolicy.builder()
                .cacheTtl(Duration.ZERO)
                .timeout(TIMEOUT)
                .thresholds(FAILURES, 1)
                .build();
        health.register("db", dbCheck, uncached);
        health.register("cache", cacheCheck, uncached.toBuilder().optional().build());
        health.register(
                "heartbeat", beat, uncached.toBuilder().probes(Probe.LIVENESS).build());
        int[] evaluationsWhileStuck = new int[2];
        try {
            for (Step step : steps) {
                List<CompletableFuture<HealthReport>> probes = new ArrayList<>();
                int copies = step.concurrent() ? 2 : 1;
                boolean[] stuckBefore = {dbCheck.hung, cacheCheck.hung};
                for (int i = 0; i < copies; i++) {
                    long began = System.nanoTime();
                    probes.add(CompletableFuture.supplyAsync(
                            () -> {
                                HealthReport r = evaluate(health, step.target());
                                long took = System.nanoTime() - began;
                                assertThat(took)
                                        .as("every probe returns by its deadline plus a small bound")
                                        .isLessThan(TIMEOUT.toNanos() + BOUND_NANOS);
                                return r;
                            },
                            callers));
                }
                for (CompletableFuture<HealthReport> f : probes) {
                    HealthReport r = f.get(30, TimeUnit.SECONDS);
                    for (CheckEntry c : r.checks()) {
                        if (c.name().equals("heartbeat") && c.cause() == Cause.REJECTED) {
                            // reserved threads: a liveness check always finds one; on a machine starved of CPU a
                            // thread may still not start it within its 20 ms (not started: uncounted, by design)
                            assertThat(c.message())
                                    .as("liveness never lacks a thread")
                                    .doesNotContain("no engine thread was available");
                        }
                        int k = c.name().equals("db") ? 0 : c.name().equals("cache") ? 1 : -1;
                        if (k >= 0 && stuckBefore[k] && c.cause() != Cause.REJECTED) {
                            evaluationsWhileStuck[k]++;
                            if (evaluationsWhileStuck[k] >= FAILURES) {
                                assertThat(c.status())
                                        .as("a check stuck past its threshold is DOWN: %s", c)
                                        .isEqualTo(Status.DOWN);
                            }
                        }
                    }
                }
                Thread.sleep(step.gapMillis()); // the probe timing under test, not an assertion
            }
            for (Scripted s : List.of(dbCheck, cacheCheck, beat)) {
                assertThat(s.maxInFlight)
                        .as("at most one execution of a check in flight")
                        .hasValueLessThanOrEqualTo(1);
            }
        } finally {
            end.countDown();
            callers.shutdownNow();
            health.close();
        }
    }

    private static HealthReport evaluate(HealthRegistry health, Target t) {
        return switch (t) {
            case READINESS -> health.evaluate(Probe.READINESS);
            case LIVENESS -> health.evaluate(Probe.LIVENESS);
            case ALL -> health.evaluate(Scope.all(), List.of());
        };
    }
}
