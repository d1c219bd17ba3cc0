package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asynchronous checks: a silent dependency costs no thread, and its stage is cancelled at the deadline. */
class AsyncCheckFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vigil-health-check"))
                .count();
    }

    @Test
    void aThousandProbesOfAHungAsynchronousCheckCostNoThreadAndCancelEveryStage() throws Exception {
        HealthRegistry health = faults.registry();
        ConcurrentLinkedQueue<CompletableFuture<CheckResult>> stages = new ConcurrentLinkedQueue<>();
        health.register(
                "silent",
                new AsyncHealthCheck() { // a fresh call per evaluation: it owns its stage
                    @Override
                    public CompletionStage<CheckResult> checkAsync(io.vigil.health.CheckContext context) {
                        CompletableFuture<CheckResult> never = new CompletableFuture<>();
                        stages.add(never);
                        return never;
                    }

                    @Override
                    public boolean cancelOnTimeout() {
                        return true;
                    }
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(10))
                        .build());
        ExecutorService callers = faults.closeLater(new Closing(Executors.newFixedThreadPool(20))).pool;
        List<Future<CheckEntry>> warm = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // every caller thread exists before the baseline is taken
            warm.add(callers.submit(
                    () -> health.evaluate(Probe.READINESS).checks().get(0)));
        }
        for (Future<CheckEntry> f : warm) {
            f.get(10, TimeUnit.SECONDS);
        }
        int baseline = ManagementFactory.getThreadMXBean().getThreadCount();

        List<Future<CheckEntry>> probes = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            probes.add(callers.submit(
                    () -> health.evaluate(Probe.READINESS).checks().get(0)));
        }
        for (Future<CheckEntry> f : probes) {
            CheckEntry s = f.get(30, TimeUnit.SECONDS);
            assertThat(s.status()).isEqualTo(Status.DOWN);
            assertThat(s.cause()).isEqualTo(Cause.TIMEOUT); // joined callers share their execution's timeout
        }
        assertThat(stages)
                .hasSizeGreaterThan(1)
                .hasSizeLessThanOrEqualTo(1020)
                .allSatisfy(st -> assertThat(st).isCancelled());
        assertThat(engineThreads()).isZero();
        await().pollInSameThread()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(
                                ManagementFactory.getThreadMXBean().getThreadCount())
                        .as(() -> "live threads: " + Thread.getAllStackTraces().keySet())
                        .isLessThanOrEqualTo(baseline));
    }

    @Test
    void anAsynchronousCheckIsStartedOnTheCallersThreadAndCompletedByItsClient() {
        HealthRegistry health = faults.registry();
        ExecutorService client = faults.closeLater(new Closing(Executors.newSingleThreadExecutor())).pool;
        List<Thread> startedOn = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "remote",
                (AsyncHealthCheck) context -> {
                    startedOn.add(Thread.currentThread());
                    calls.incrementAndGet();
                    assertThat(context.remaining()).isPositive();
                    return CompletableFuture.supplyAsync(CheckResult::up, client);
                },
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());

        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(startedOn).containsOnly(Thread.currentThread());
        assertThat(calls).hasValue(2);
    }

    @Test
    void aFailedStageAThrowingStartAndANullStageAreDownAndTheCallerCarriesOn() {
        HealthRegistry health = faults.registry();
        CheckPolicy uncached = CheckPolicy.builder().cacheTtl(Duration.ZERO).build();
        health.register(
                "failed",
                (AsyncHealthCheck) context ->
                        CompletableFuture.failedFuture(new IllegalStateException("password=hunter2 rejected")),
                uncached);
        health.register(
                "throws",
                (AsyncHealthCheck) context -> {
                    throw new StackOverflowError();
                },
                uncached);
        health.register("null", (AsyncHealthCheck) context -> null, uncached);

        List<CheckEntry> checks = health.evaluate(Probe.READINESS).checks();
        assertThat(checks).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(Status.DOWN);
            assertThat(c.cause()).isEqualTo(Cause.EXCEPTION);
            assertThat(c.message()).doesNotContain("hunter2");
        });
        assertThat(checks.get(1).message()).contains("StackOverflowError");
    }

    @Test
    void aStageThatIgnoresCancellationKeepsTheCheckBusyWithoutAThreadUntilItCompletes() {
        HealthRegistry health = faults.registry();
        CompletableFuture<CheckResult> underlying = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "stubborn",
                (AsyncHealthCheck) context -> {
                    calls.incrementAndGet();
                    return underlying.thenApply(r -> r).minimalCompletionStage(); // cancelling its copy changes nothing
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(200))
                        .build());

        assertThat(health.evaluate(Probe.READINESS).checks().get(0).cause()).isEqualTo(Cause.TIMEOUT);
        CheckEntry busy = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(busy.cause()).isEqualTo(Cause.TIMEOUT);
        assertThat(busy.message()).contains("still running after");
        assertThat(calls).hasValue(1);
        assertThat(engineThreads()).isZero();

        underlying.complete(CheckResult.up());
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(calls).hasValue(2);
    }

    @Test
    void theBlockingBridgeWaitsForTheStageAndCancelsItAtTheDeadline() {
        CompletableFuture<CheckResult> never = new CompletableFuture<>();
        AsyncHealthCheck check = context -> never;
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> check.check(io.vigil.health.CheckContext.within(Duration.ofMillis(10))))
                .isInstanceOf(java.util.concurrent.TimeoutException.class);
        assertThat(never).isCancelled();
    }

    @Test
    void theEngineNeverCancelsAStageTheCheckSharesWithTheApplication() {
        HealthRegistry health = faults.registry();
        CompletableFuture<CheckResult> warmUp = new CompletableFuture<>(); // the application's own future
        health.register(
                "warm-up",
                (AsyncHealthCheck) context -> warmUp,
                CheckPolicy.builder()
                        .probes(Probe.STARTUP)
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(100))
                        .build());

        assertThat(health.evaluate(Probe.STARTUP).checks().get(0).cause()).isEqualTo(Cause.TIMEOUT);
        assertThat(warmUp).isNotCancelled();

        warmUp.complete(CheckResult.up());
        assertThat(health.evaluate(Probe.STARTUP).checks().get(0).status()).isEqualTo(Status.UP);
    }

    /** An executor shut down with the registries. */
    private record Closing(ExecutorService pool) implements AutoCloseable {
        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
