package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Live JVM threads against a limit: a thread leak (an executor per request, a client per call) ends in
 * "unable to create native thread" or a process the kernel's {@code pids.max} refuses to grow.
 *
 * <pre>{@code
 * health.register("threads", ThreadCheck.builder().warnAbove(500).build());
 * }</pre>
 *
 * DEGRADED above {@code warnAbove} (1000 threads by default); DOWN only above {@code failAbove}, not set by
 * default. Data: {@code live}, {@code daemon}, {@code peak}.
 *
 * <p>Which probe: readiness, DEGRADED; liveness only with a fail limit chosen for it (a restart cures a leak, not a
 * legitimately busy service). Inline ({@link #nonBlocking()}): it reads the thread bean's counters. Immutable and
 * thread-safe.
 */
public final class ThreadCheck implements HealthCheck {
    private final Thresholds limits;

    private ThreadCheck(Builder b) {
        this.limits = b.limits.validated();
    }

    /** @return a builder with the default: warn above 1000 live threads */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public CheckResult check() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int live = threads.getThreadCount();
        Status status = limits.judge(live);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("live", live);
        data.put("daemon", threads.getDaemonThreadCount());
        data.put("peak", threads.getPeakThreadCount());
        limits.limits(data, "");
        return CheckResult.of(status, limits.sentence(status, "live threads", live, ""))
                .withData(data);
    }

    /** Settings of a {@link ThreadCheck}. Not thread-safe. */
    public static final class Builder {
        private Thresholds limits = Thresholds.NONE.withWarnAbove(1000);

        Builder() {}

        /**
         * @param threads DEGRADED strictly above this many live threads; 1000 by default
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder warnAbove(int threads) {
            limits = limits.withWarnAbove(nonNegative(threads));
            return this;
        }

        /**
         * @param threads DOWN strictly above this many live threads; not set by default
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder failAbove(int threads) {
            limits = limits.withFailAbove(nonNegative(threads));
            return this;
        }

        private static int nonNegative(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("a thread limit must be >= 0: " + threads);
            }
            return threads;
        }

        /**
         * @return the check
         * @throws IllegalArgumentException if the warn limit exceeds the fail limit
         */
        public ThreadCheck build() {
            return new ThreadCheck(this);
        }
    }
}
