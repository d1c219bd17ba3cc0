package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.checks.PingCheck;
import io.vigil.health.test.Background;
import io.vigil.health.test.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Non-blocking checks run on the caller's thread; a wrong declaration costs one slow probe, never a hang. */
class InlineLaneFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    private static CheckPolicy.Builder inline() {
        return CheckPolicy.builder().cacheTtl(Duration.ZERO).nonBlocking();
    }

    @Test
    void aNonBlockingCheckRunsOnTheCallersThread() {
        HealthRegistry health = faults.registry();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        health.register(
                "flag",
                () -> {
                    ranOn.add(Thread.currentThread());
                    return CheckResult.up();
                },
                inline().build());
        health.register(
                "ping",
                new PingCheck(),
                CheckPolicy.builder().probes(Probe.LIVENESS).build());

        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(ranOn).containsOnly(Thread.currentThread()).hasSize(2);
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void anOverrunningNonBlockingCheckIsDownOnceWarnsOnceAndMovesToThePool() throws Exception {
        HealthRegistry health = faults.registry();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "misdeclared",
                () -> {
                    ranOn.add(Thread.currentThread());
                    if (calls.incrementAndGet() == 1) {
                        Thread.sleep(150); // a blocking call behind a non-blocking declaration, past its 50 ms timeout
                    }
                    return CheckResult.up();
                },
                inline().timeout(Duration.ofMillis(50)).build());

        try (LogCapture log = LogCapture.of("io.vigil.health.internal.CheckRunner")) {
            CheckEntry slow = health.evaluate(Probe.READINESS).checks().get(0);
            assertThat(slow.status()).isEqualTo(Status.DOWN);
            assertThat(slow.cause()).isEqualTo(Cause.TIMEOUT);
            assertThat(slow.message()).contains("over its timeout of 50 ms");

            for (int i = 0; i < 3; i++) {
                assertThat(health.evaluate(Probe.READINESS).checks().get(0).status())
                        .isEqualTo(Status.UP);
            }
            assertThat(ranOn.get(0)).isSameAs(Thread.currentThread());
            assertThat(ranOn.subList(1, ranOn.size()))
                    .hasSize(3)
                    .allSatisfy(t -> assertThat(t.getName()).startsWith("vigil-health-check"));
            assertThat(log.events())
                    .filteredOn(e -> e.getLevel().toString().equals("WARN"))
                    .hasSize(1)
                    .allSatisfy(e -> assertThat(e.getFormattedMessage()).contains("engine's threads"));
        }
    }

    @Test
    void concurrentCallersOfANonBlockingCheckShareOneExecution() throws Exception {
        HealthRegistry health = faults.registry();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "gate",
                () -> {
                    calls.incrementAndGet();
                    entered.countDown();
                    if (!release.await(10, TimeUnit.SECONDS)) {
                        return CheckResult.down("never released");
                    }
                    return CheckResult.up();
                },
                inline().timeout(Duration.ofSeconds(20)).build());

        Map<String, Status> answers = new ConcurrentHashMap<>();
        Thread first = new Thread(() -> answers.put("first", status(health)), "first-caller");
        first.start();
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        List<Thread> others = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "caller-" + i;
            Thread t = new Thread(() -> answers.put(name, status(health)), name);
            t.start();
            others.add(t);
        }
        // every other caller is parked on the execution the first caller runs
        await().atMost(Duration.ofSeconds(10))
                .until(() -> others.stream().allMatch(t -> t.getState() == Thread.State.TIMED_WAITING));
        release.countDown();
        first.join(10_000);
        for (Thread t : others) {
            t.join(10_000);
        }
        assertThat(answers).hasSize(21).allSatisfy((k, v) -> assertThat(v).isEqualTo(Status.UP));
        assertThat(calls).hasValue(1);
    }

    private static Status status(HealthRegistry health) {
        return health.evaluate(Probe.READINESS).checks().get(0).status();
    }

    @Test
    void aNonBlockingCheckThatThrowsAnErrorIsDownAndTheCallerCarriesOn() {
        HealthRegistry health = faults.registry();
        AtomicInteger calls = new AtomicInteger();
        List<Thread> ranOn = new CopyOnWriteArrayList<>();
        health.register(
                "fragile",
                () -> {
                    ranOn.add(Thread.currentThread());
                    switch (calls.incrementAndGet()) {
                        case 1 -> throw new StackOverflowError();
                        case 2 -> throw new IllegalStateException("token=hunter2 expired");
                        default -> {
                            return CheckResult.up();
                        }
                    }
                },
                inline().build());

        CheckEntry error = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(error.status()).isEqualTo(Status.DOWN);
        assertThat(error.cause()).isEqualTo(Cause.EXCEPTION);
        assertThat(error.message()).contains("StackOverflowError");
        CheckEntry thrown = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(thrown.cause()).isEqualTo(Cause.EXCEPTION);
        assertThat(thrown.message()).doesNotContain("hunter2");
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(ranOn).containsOnly(Thread.currentThread());
    }

    @Test
    void aSecondProbeRunsAHealthyInlineCheckThatTheFirstProbeHasNotStartedYet() throws Exception {
        HealthRegistry health = faults.registry();
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        health.register(
                "spinner",
                () -> {
                    spinning.countDown();
                    stop.await(5, TimeUnit.SECONDS); // a blocking call behind a non-blocking declaration
                    return CheckResult.up();
                },
                inline().timeout(Duration.ofMillis(100)).build());
        AtomicInteger flagCalls = new AtomicInteger();
        health.register(
                "flag",
                () -> {
                    flagCalls.incrementAndGet();
                    return CheckResult.up();
                },
                inline().timeout(Duration.ofMillis(100)).build());
        java.util.concurrent.CompletableFuture<Outcome> first =
                Background.supply(() -> health.evaluate(Probe.READINESS).outcome());
        try {
            assertThat(spinning.await(10, TimeUnit.SECONDS)).isTrue();

            CheckEntry flag = health.evaluate(Probe.READINESS).checks().get(1);

            assertThat(flag.status()).as(flag.message()).isEqualTo(Status.UP);
            assertThat(flagCalls.get()).isEqualTo(1);
        } finally {
            stop.countDown();
            first.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anInterruptedCallerNeverPassesItsInterruptToAnInlineCheckNorRecordsAnything() throws Exception {
        HealthRegistry health = faults.registry();
        AtomicInteger sawInterrupt = new AtomicInteger();
        health.register(
                "flag",
                () -> {
                    if (Thread.currentThread().isInterrupted()) {
                        sawInterrupt.incrementAndGet();
                        throw new InterruptedException("lockInterruptibly");
                    }
                    return CheckResult.up();
                },
                CheckPolicy.builder().nonBlocking().build()); // default 1 s cache

        Thread.currentThread().interrupt();
        try {
            health.evaluate(Probe.READINESS);
        } finally {
            Thread.interrupted();
        }

        assertThat(sawInterrupt.get()).isZero();
        java.util.concurrent.CompletableFuture<CheckEntry> other = Background.supply(
                () -> health.evaluate(Probe.READINESS).checks().get(0));
        CheckEntry seen = other.get(10, TimeUnit.SECONDS);
        assertThat(seen.status()).as(seen.message()).isEqualTo(Status.UP);
    }
}
