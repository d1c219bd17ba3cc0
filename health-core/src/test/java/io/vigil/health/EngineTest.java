package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.health.format.OperationOutcomeWriter;
import io.vigil.health.test.LogCapture;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EngineTest {
    private final MutableClock clock = new MutableClock();
    private final List<HealthRegistry> registries = new ArrayList<>();

    private HealthRegistry registry(boolean realClock) {
        HealthRegistry.Builder b = HealthRegistry.builder().startedImmediately();
        if (!realClock) {
            b.clock(clock).ticker(clock::nanos);
        }
        HealthRegistry r = b.build();
        registries.add(r);
        return r;
    }

    @AfterEach
    void close() {
        for (HealthRegistry r : registries) {
            r.flushEvents(Duration.ofSeconds(10)); // no transition line of this test reaches the next test's capture
            r.close();
        }
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vigil-health-check"))
                .count();
    }

    @Test
    void twoHundredConcurrentProbesCauseOneCallOfASlowCheck() throws Exception {
        HealthRegistry health = registry(true);
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        health.register(
                "slow",
                () -> {
                    calls.incrementAndGet();
                    release.await(100, TimeUnit.MILLISECONDS); // the check's own 100 ms of work
                    return CheckResult.up();
                },
                CheckPolicy.builder()
                        .timeout(Duration.ofSeconds(5))
                        .cacheTtl(Duration.ofMinutes(1))
                        .build());
        // a cache longer than the test: on a loaded machine the 200 callers may start more than 1 s apart
        int n = 200;
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService callers = Executors.newFixedThreadPool(n);
        try {
            List<Future<HealthReport>> reports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reports.add(callers.submit(() -> {
                    start.await();
                    return health.evaluate(Probe.READINESS);
                }));
            }
            for (Future<HealthReport> f : reports) {
                assertThat(f.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.UP);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void aCheckThatNeverReturnsCostsOneThreadAndProbesStillAnswer() throws Exception {
        HealthRegistry health = registry(true);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "hangs",
                () -> {
                    calls.incrementAndGet();
                    while (true) {
                        try {
                            never.await(); // ignores interrupts: the worst kind of check
                        } catch (InterruptedException ignored) {
                            // keep hanging
                        }
                        if (never.getCount() == 0) {
                            return CheckResult.up();
                        }
                    }
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(50))
                        .build());
        health.register("fine", CheckResult::up); // default 1 s cache: runs rarely, on a reused thread
        long before = engineThreads();
        try {
            HealthReport first = health.evaluate(Probe.READINESS);
            assertThat(first.outcome()).isEqualTo(Outcome.DOWN);
            assertThat(first.checks().get(0).cause()).isEqualTo(Cause.TIMEOUT);
            assertThat(OperationOutcomeWriter.issueType(first.issues().get(0))).isEqualTo("timeout");
            ExecutorService callers = Executors.newFixedThreadPool(20);
            try {
                List<Future<HealthReport>> reports = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    reports.add(callers.submit(() -> health.evaluate(Probe.READINESS)));
                }
                for (Future<HealthReport> f : reports) {
                    HealthReport r = f.get(10, TimeUnit.SECONDS); // bounded: never a hang
                    assertThat(r.outcome()).isEqualTo(Outcome.DOWN);
                    assertThat(r.checks().get(1).status()).isEqualTo(Status.UP);
                }
            } finally {
                callers.shutdownNow();
            }
            assertThat(calls).hasValue(1);
            // one thread stuck in the hanging check; the other check needs at most a couple of pool threads
            assertThat(engineThreads() - before).isLessThanOrEqualTo(3);
        } finally {
            never.countDown();
        }
    }

    @Test
    void aCheckThatThrowsIsDownWithARedactedMessage() {
        HealthRegistry health = registry(false);
        health.register("db", () -> {
            throw new IllegalStateException("cannot reach postgres://app:hunter2@db:5432/app");
        });
        HealthReport r = health.evaluate(Probe.READINESS);
        CheckEntry db = r.checks().get(0);
        assertThat(db.status()).isEqualTo(Status.DOWN);
        assertThat(db.cause()).isEqualTo(Cause.EXCEPTION);
        assertThat(db.message()).isEqualTo("IllegalStateException: cannot reach postgres://***@db:5432/app");
        assertThat(OperationOutcomeWriter.issueType(r.issues().get(0))).isEqualTo("exception");
    }

    @Test
    void resultsAreReusedWithinTheirTtl() {
        HealthRegistry health = registry(false);
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "c",
                () -> {
                    calls.incrementAndGet();
                    return CheckResult.up();
                },
                CheckPolicy.builder().cacheTtl(Duration.ofSeconds(5)).build());
        assertThat(health.evaluate(Probe.READINESS).checks().get(0).cached()).isFalse();
        clock.advance(Duration.ofSeconds(4));
        assertThat(health.evaluate(Probe.READINESS).checks().get(0).cached()).isTrue();
        assertThat(calls).hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.evaluate(Probe.READINESS).checks().get(0).cached()).isFalse();
        assertThat(calls).hasValue(2);
    }

    @Test
    void failureAndSuccessThresholdsDampFlapping() {
        HealthRegistry health = registry(false);
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());
        health.register(
                "flaky",
                next::get,
                CheckPolicy.builder().cacheTtl(Duration.ZERO).thresholds(3, 2).build());
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        next.set(CheckResult.down("blip"));
        HealthReport tolerated = health.evaluate(Probe.READINESS);
        assertThat(tolerated.outcome()).isEqualTo(Outcome.UP);
        assertThat(tolerated.checks().get(0).message()).startsWith("tolerated failure 1/3");
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        next.set(CheckResult.up());
        HealthReport recovering = health.evaluate(Probe.READINESS);
        assertThat(recovering.outcome()).isEqualTo(Outcome.DOWN);
        assertThat(recovering.checks().get(0).message()).isEqualTo("recovering, success 1/2");
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void circuitBreakerOpensHalfOpensAndCloses() {
        HealthRegistry health = registry(false);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.down("503 from upstream"));
        List<String> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
        health.addListener(new io.vigil.health.spi.HealthListener() {
            @Override
            public void onBreakerTransition(String check, BreakerState from, BreakerState to) {
                transitions.add(from + "->" + to);
            }
        });
        health.register(
                "upstream",
                HealthCheck.of(CheckKind.DEPENDENCY, () -> {
                    calls.incrementAndGet();
                    return next.get();
                }),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .circuitBreaker(2, Duration.ofSeconds(30))
                        .build());
        health.evaluate(Probe.READINESS);
        HealthReport opened = health.evaluate(Probe.READINESS);
        assertThat(opened.checks().get(0).breaker()).isEqualTo(BreakerState.OPEN);
        assertThat(calls).hasValue(2);
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(2));
            HealthReport r = health.evaluate(Probe.READINESS);
            assertThat(r.checks().get(0).cause()).isEqualTo(Cause.CIRCUIT_OPEN);
            assertThat(r.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
        assertThat(calls).as("no calls while open").hasValue(2);
        clock.advance(Duration.ofSeconds(11));
        health.evaluate(Probe.READINESS); // half-open trial fails
        assertThat(calls).hasValue(3);
        assertThat(health.latest().get("upstream").breaker()).isEqualTo(BreakerState.OPEN);
        clock.advance(Duration.ofSeconds(30));
        next.set(CheckResult.up());
        HealthReport closed = health.evaluate(Probe.READINESS);
        assertThat(closed.outcome()).isEqualTo(Outcome.UP);
        assertThat(closed.checks().get(0).breaker()).isEqualTo(BreakerState.CLOSED);
        assertThat(health.flushEvents(Duration.ofSeconds(10)))
                .as("listener events delivered")
                .isTrue();
        assertThat(transitions)
                .containsExactly(
                        "CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->CLOSED");
    }

    @Test
    void backgroundRefreshServesTheLatestResultAndNeverRunCountsAsDown() {
        HealthRegistry health = registry(true);
        CountDownLatch firstRun = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "bg",
                () -> {
                    firstRun.await();
                    calls.incrementAndGet();
                    return CheckResult.up();
                },
                CheckPolicy.builder()
                        .refreshEvery(Duration.ofMillis(20))
                        .timeout(Duration.ofSeconds(30))
                        .build());
        HealthReport before = health.evaluate(Probe.READINESS);
        assertThat(before.outcome()).isEqualTo(Outcome.DOWN);
        assertThat(before.checks().get(0).cause()).isEqualTo(Cause.NEVER_RUN);
        firstRun.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 3);
        HealthReport after = health.evaluate(Probe.READINESS);
        assertThat(after.outcome()).isEqualTo(Outcome.UP);
        assertThat(after.checks().get(0).cached()).isTrue();
    }

    @Test
    void dependencyChecksNeedAnOptInForLiveness() {
        HealthRegistry health = registry(false);
        HealthCheck db = HealthCheck.of(CheckKind.DATASTORE, CheckResult::up);
        CheckPolicy onLiveness = CheckPolicy.builder().probes(Probe.LIVENESS).build();
        assertThatThrownBy(() -> health.register("db", db, onLiveness))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowOnLiveness");
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            health.register("db", db, onLiveness.toBuilder().allowOnLiveness().build());
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("liveness"));
        }
        assertThat(health.checkNames()).containsExactly("db");
    }

    @Test
    void namesAreUniqueAndValidated() {
        HealthRegistry health = registry(false);
        health.register("a", CheckResult::up);
        assertThatThrownBy(() -> health.register("a", CheckResult::up)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> health.register("", CheckResult::up)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> health.register("x\ny", CheckResult::up)).isInstanceOf(IllegalArgumentException.class);
        assertThat(health.unregister("a")).isTrue();
        assertThat(health.evaluate(Probe.READINESS).checks()).isEmpty();
    }

    @Test
    void startupTurnsUpWhenStartupChecksPass() {
        HealthRegistry health =
                HealthRegistry.builder().clock(clock).ticker(clock::nanos).build();
        registries.add(health);
        AtomicReference<CheckResult> warm = new AtomicReference<>(CheckResult.down("cache warming"));
        health.register(
                "warm-up",
                warm::get,
                CheckPolicy.builder()
                        .probes(Probe.STARTUP)
                        .cacheTtl(Duration.ZERO)
                        .build());
        assertThat(health.evaluate(Probe.STARTUP).outcome()).isEqualTo(Outcome.DOWN);
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        warm.set(CheckResult.up());
        assertThat(health.evaluate(Probe.STARTUP).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.isStarted()).isTrue();
        warm.set(CheckResult.down("gone"));
        assertThat(health.evaluate(Probe.READINESS).outcome())
                .as("started is latched")
                .isEqualTo(Outcome.UP);
    }

    @Test
    void aSteadyStateLogsNothingAndTransitionsLogOnceEach() {
        HealthRegistry health = registry(false);
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());
        health.register(
                "db",
                HealthCheck.of(CheckKind.DATASTORE, next::get),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        health.evaluate(Probe.READINESS);
        assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue(); // transition lines reach the log shortly after
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            for (int i = 0; i < 1000; i++) {
                health.evaluate(Probe.READINESS);
            }
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
            assertThat(logs.lines()).isEmpty();
            next.set(CheckResult.down("connection refused"));
            for (int i = 0; i < 100; i++) {
                health.evaluate(Probe.READINESS);
            }
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
            assertThat(logs.lines()).hasSize(2); // check UP->DOWN, probe UP->DOWN
            assertThat(logs.events()).allMatch(e -> e.getLevel().toString().equals("WARN"));
            assertThat(LogCapture.keyValues(logs.events().get(0)))
                    .containsEntry("check", "db")
                    .containsEntry("from", "UP")
                    .containsEntry("to", "DOWN");
            logs.clear();
            next.set(CheckResult.up());
            health.evaluate(Probe.READINESS);
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
            assertThat(logs.lines()).hasSize(2).allMatch(l -> l.startsWith("INFO"));
        }
    }

    @Test
    void slowChecksOfOneProbeRunInParallel() {
        HealthRegistry health = registry(true);
        // each check waits until all five are running at once: only parallel execution lets them pass
        CyclicBarrier allRunning = new CyclicBarrier(5);
        for (int i = 0; i < 5; i++) {
            health.register(
                    "slow-" + i,
                    () -> {
                        allRunning.await(20, TimeUnit.SECONDS);
                        return CheckResult.up();
                    },
                    CheckPolicy.builder()
                            .cacheTtl(Duration.ZERO)
                            .timeout(Duration.ofSeconds(30))
                            .build());
        }
        HealthReport r = health.evaluate(Probe.READINESS);
        assertThat(r.checks()).extracting(CheckEntry::status).containsOnly(Status.UP);
    }

    @Test
    void anExecutionThatNoThreadTookBeforeItsDeadlineLeavesNothingStuck() {
        AtomicInteger dropped = new AtomicInteger();
        ExecutorService real = Executors.newCachedThreadPool();
        try {
            // the first two tasks are lost (a saturated or broken executor), later ones run
            HealthRegistry health = HealthRegistry.builder()
                    .clock(clock)
                    .ticker(clock::nanos)
                    .startedImmediately()
                    .executor(task -> {
                        if (dropped.incrementAndGet() > 2) {
                            real.execute(task);
                        }
                    })
                    .build();
            registries.add(health);
            health.register(
                    "db",
                    CheckResult::up,
                    CheckPolicy.builder()
                            .cacheTtl(Duration.ZERO)
                            .timeout(Duration.ofMillis(100))
                            .build());
            HealthReport lost = health.evaluate(Probe.READINESS);
            assertThat(lost.checks().get(0).cause())
                    .as("never started: no failure")
                    .isEqualTo(Cause.REJECTED);
            assertThat(health.engineStats().rejectedExecutions()).isEqualTo(1);
            health.evaluate(Probe.READINESS); // second task lost too
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        } finally {
            real.shutdownNow();
        }
    }
}
