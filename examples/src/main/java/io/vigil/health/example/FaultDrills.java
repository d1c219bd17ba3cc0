package io.vigil.health.example;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault drills for operators and the operations end-to-end test: {@link #hang(int)} registers OPTIONAL readiness
 * checks named {@code drill-hang-1…N} that block until {@link #release()} (at most {@link #LONGEST}), ignoring
 * interrupts like a socket read without a timeout. One hung
 * check is a stuck execution (alert {@code HealthCheckStuck}); more than the engine's threads starve the pool, so
 * evaluations find no thread ({@code HealthChecksRejected}). Thread-safe.
 */
final class FaultDrills {
    private static final Logger LOG = LoggerFactory.getLogger(FaultDrills.class);
    /** Most hanging checks at once. */
    static final int MOST = 64;
    /** A drill check never blocks longer than this, even if nobody releases it. */
    static final Duration LONGEST = Duration.ofMinutes(10);

    private final HealthRegistry health;
    private final Duration timeout;
    private CountDownLatch release; // guarded by this; null when no drill runs
    private int checks; // guarded by this

    FaultDrills(HealthRegistry health, Duration timeout) {
        this.health = health;
        this.timeout = timeout;
    }

    /**
     * @param count how many hanging checks, 1 to {@link #MOST}
     * @return whether the drill started (false: one runs already)
     * @throws IllegalArgumentException for a count out of range
     */
    synchronized boolean hang(int count) {
        if (count < 1 || count > MOST) {
            throw new IllegalArgumentException("checks must be 1 to " + MOST);
        }
        if (release != null) {
            return false;
        }
        CountDownLatch latch = new CountDownLatch(1);
        CheckPolicy policy = CheckPolicy.builder()
                .probes(Probe.READINESS)
                .optional()
                .timeout(timeout)
                .build();
        for (int i = 1; i <= count; i++) {
            health.register(
                    "drill-hang-" + i,
                    () -> {
                        hangUninterruptibly(latch);
                        return CheckResult.up();
                    },
                    policy);
        }
        release = latch;
        checks = count;
        LOG.atWarn().addKeyValue("checks", count).log("fault drill: {} hanging health check(s) registered", count);
        return true;
    }

    /**
     * Blocks like a socket read without a timeout, which an interrupt does not end either: until the latch opens or
     * {@link #LONGEST} passes. An interrupt received meanwhile is restored before returning.
     */
    private static void hangUninterruptibly(CountDownLatch latch) {
        long deadline = System.nanoTime() + LONGEST.toNanos();
        boolean interrupted = false;
        long left;
        while (latch.getCount() > 0 && (left = deadline - System.nanoTime()) > 0) {
            try {
                latch.await(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether a drill was running; its checks return and are unregistered */
    synchronized boolean release() {
        if (release == null) {
            return false;
        }
        release.countDown();
        for (int i = 1; i <= checks; i++) {
            health.unregister("drill-hang-" + i);
        }
        LOG.atInfo().addKeyValue("checks", checks).log("fault drill released");
        release = null;
        checks = 0;
        return true;
    }
}
