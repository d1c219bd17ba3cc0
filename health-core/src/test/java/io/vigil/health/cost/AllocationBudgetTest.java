package io.vigil.health.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bytes allocated per probe on the probing thread, for the three probe paths, with budgets that fail the build when a
 * change makes every probe heavier. Allocation is deterministic where time is not: this is not a timing test (no
 * figure here depends on the machine's speed or load).
 *
 * <p>How it measures: {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} of the probing thread around
 * {@value #PROBES} probes of {@code GET /health/ready} through the transport-neutral handler (what every transport
 * calls), after {@value #WARM_UP} probes of warm-up. The smallest of {@value #ROUNDS} rounds is compared with the
 * budget: code that has not been compiled yet (C2's escape analysis removes short-lived objects) can only allocate
 * more, never less, so the minimum is the steady state. Pool threads' allocations are not counted (the probing
 * thread pays for the hand-off, the report and the rendering; {@code benchmarks/run.sh} counts all threads).
 *
 * <p>Budgets are the probe-cost goals (10 checks: cached 512 B, uncached pooled 2 KB, uncached inline 1 KB) plus a
 * margin of 25 % for what differs between JIT compilations and JDK versions; for 100 checks the cached path must
 * stay constant (a version stamp, not a comparison of every entry) and the uncached paths linear with a small
 * constant.
 */
class AllocationBudgetTest {
    private static final int WARM_UP = 30_000;
    private static final int PROBES = 5_000;
    private static final int ROUNDS = 5;
    private static final HealthRequest READY = new HealthRequest("GET", "/health/ready", null, null, false);

    @ParameterizedTest(name = "{0}, {1} checks: at most {2} bytes per probe")
    @CsvSource({
            "cached,   10,   640",
            "pooled,   10,  2560",
            "inline,   10,  1280",
            "cached,  100,   640",
            "pooled,  100, 16000",
            "inline,  100,  8000",
    })
    void aProbeAllocatesNoMoreThanItsBudget(String path, int checks, long budget) {
        HealthRegistry registry = HealthRegistry.builder().startedImmediately().build();
        try {
            CheckPolicy.Builder policy = CheckPolicy.builder().timeout(Duration.ofSeconds(5));
            if (!path.equals("cached")) {
                policy.cacheTtl(Duration.ZERO);
            }
            if (path.equals("inline")) {
                policy.nonBlocking();
            }
            CheckPolicy p = policy.build();
            for (int i = 0; i < checks; i++) {
                registry.register("check-" + i, CheckResult::up, p);
            }
            HealthHandler handler = HealthHandler.builder(registry).build();

            long perProbe = bytesPerProbe(handler);

            assertThat(perProbe)
                    .as("bytes allocated per %s probe of %d checks on the probing thread", path, checks)
                    .isLessThanOrEqualTo(budget);
        } finally {
            registry.close();
        }
    }

    private static long bytesPerProbe(HealthHandler handler) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        int statuses = 0;
        for (int i = 0; i < WARM_UP; i++) {
            statuses += handler.handle(READY).status();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long before = threads.getThreadAllocatedBytes(self);
            for (int i = 0; i < PROBES; i++) {
                statuses += handler.handle(READY).status();
            }
            long after = threads.getThreadAllocatedBytes(self);
            best = Math.min(best, (after - before) / PROBES);
        }
        assertThat(statuses).as("every probe answered 200").isEqualTo(200 * (WARM_UP + ROUNDS * PROBES));
        return best;
    }
}
