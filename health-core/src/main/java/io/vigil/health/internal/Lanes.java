package io.vigil.health.internal;

import io.vigil.health.CheckPolicy;
import io.vigil.health.Probe;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where checks run. Checks on the liveness probe have threads of their own that no other check can take, so hung
 * readiness dependencies filling the shared pool never make liveness fail; every other check runs on the shared
 * lane (the caller's executor, or an own bounded pool). A full lane rejects: the check is DOWN ({@code REJECTED})
 * for that evaluation only.
 */
final class Lanes implements AutoCloseable {
    private final Executor shared;
    private final ThreadPoolExecutor ownShared;
    private final ThreadPoolExecutor liveness;

    Lanes(Executor executor, int maxThreads, int livenessThreads) {
        if (executor == null) {
            ownShared = pool(maxThreads, "vigil-health-check");
            shared = ownShared;
        } else {
            ownShared = null;
            shared = executor;
        }
        liveness = pool(livenessThreads, "vigil-health-liveness");
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        return new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new NamedThreads(name));
    }

    /**
     * @param policy a check's policy
     * @return the lane its executions run on
     */
    Executor of(CheckPolicy policy) {
        return policy.probes().contains(Probe.LIVENESS) ? liveness : shared;
    }

    /** Takes no new executions; running ones finish (stuck ones keep their daemon thread). */
    @Override
    public void close() {
        liveness.shutdown();
        if (ownShared != null) {
            ownShared.shutdown();
        }
    }
}
