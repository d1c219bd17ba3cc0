package io.vigil.health.internal;

import io.vigil.health.CheckPolicy;
import io.vigil.health.Probe;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Where checks run. Checks on the liveness probe have threads of their own that no other check can take, so hung
 * readiness dependencies filling the shared pool never make liveness fail; every other check runs on the shared
 * lane (the caller's executor, or an own bounded pool). Executions a lane cannot take (full, or an application
 * executor that would run them on the probing thread itself, without their deadline) go to a small overflow pool of
 * the engine's own, so a probe never runs a blocking check on its own thread and a healthy check is never DOWN merely
 * because threads were busy. Only when the overflow is full too is an execution left unstarted: DOWN
 * ({@code REJECTED}) for that evaluation only, never counted as a failure.
 */
final class Lanes implements AutoCloseable {
    private final Executor shared;
    private final @Nullable ThreadPoolExecutor ownShared;
    private final ThreadPoolExecutor liveness;
    private final ThreadPoolExecutor overflow;
    /** Executions waiting for an overflow thread; beyond it the lane refuses (REJECTED at once). */
    private static final int OVERFLOW_QUEUE = 1024;

    Lanes(@Nullable Executor executor, int maxThreads, int livenessThreads) {
        if (executor == null) {
            ownShared = pool(maxThreads, "vigil-health-check");
            shared = ownShared;
        } else {
            ownShared = null;
            shared = executor;
        }
        liveness = pool(livenessThreads, "vigil-health-liveness");
        // a queue, not a hand-off: a thread that is just finishing takes the next execution, so the overflow lane
        // never refuses one merely because no thread was idle at that instant; what waits there past its deadline
        // is abandoned (REJECTED) by its waiter
        int n = overflowThreads(maxThreads);
        overflow = new ThreadPoolExecutor(
                n,
                n,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(OVERFLOW_QUEUE),
                new NamedThreads("vigil-health-overflow"));
        overflow.allowCoreThreadTimeOut(true);
    }

    /**
     * @param maxThreads the shared pool's bound
     * @return the overflow pool's bound: a quarter of the shared pool, at least two
     */
    static int overflowThreads(int maxThreads) {
        return Math.max(2, maxThreads / 4);
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        return new ThreadPoolExecutor(
                0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), new NamedThreads(name));
    }

    /**
     * @param policy a check's policy
     * @return the lane its executions run on
     */
    Executor of(CheckPolicy policy) {
        return policy.probes().contains(Probe.LIVENESS) ? liveness : shared;
    }

    /** @return where executions go that their lane could not take */
    Executor overflow() {
        return overflow;
    }

    /** Takes no new executions; running ones finish (stuck ones keep their daemon thread). */
    @Override
    public void close() {
        liveness.shutdown();
        overflow.shutdown();
        if (ownShared != null) {
            ownShared.shutdown();
        }
    }
}
