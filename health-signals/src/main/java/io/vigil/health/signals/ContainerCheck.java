package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.Ticker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The container's limits as the kernel enforces them, from the process's cgroup (v2, and v1's memory and cpu
 * controllers): memory in use against the memory limit (at the limit the kernel's OOM killer ends the process) and
 * the share of CPU scheduling periods in which the container was throttled over a sliding window (its CPU quota is
 * too small for its load: latency grows although the node is idle).
 *
 * <pre>{@code
 * health.register("container", ContainerCheck.builder().build());
 * }</pre>
 *
 * Memory in use is the working set the kubelet evicts by: usage less the inactive page cache the kernel reclaims
 * first. DEGRADED above {@code memoryWarnAbovePercent} (90 % by default) or {@code throttledWarnAbovePercent}
 * (50 % of periods); DOWN only above the fail limits, not set by default. Without a cgroup (not in a container, not
 * Linux), without limits, or with files that cannot be read, UP saying so: never an error. Data:
 * {@code cgroupVersion}, {@code memoryWorkingSetBytes},
 * {@code memoryLimitBytes}, {@code memoryPercent}, {@code throttledPercent}, {@code periods}, {@code windowSeconds}.
 *
 * <p>Which probe: readiness, DEGRADED. A restart does not raise a limit, and an OOM kill happens anyway; the
 * warning is for the people reading the page. Inline ({@link #nonBlocking()}): the files are the kernel's
 * counters, read from memory. Thread-safe.
 */
public final class ContainerCheck implements HealthCheck {
    private static final int SLOTS = 12;
    private final Thresholds memoryLimits;
    private final Thresholds throttleLimits;
    private final Path root;
    private final Path procSelfCgroup;
    private final Ticker ticker;
    private final Window window; // guarded by this

    private ContainerCheck(Builder b) {
        this.memoryLimits = b.memory.validated();
        this.throttleLimits = b.throttled.validated();
        this.root = b.root;
        this.procSelfCgroup = b.procSelfCgroup;
        this.ticker = b.ticker;
        this.window = new Window(b.window, SLOTS, 2);
        synchronized (this) {
            Cgroup cgroup = Cgroup.find(root, procSelfCgroup);
            if (cgroup != null && cgroup.cpu() != null) {
                try {
                    window.observe(ticker.read(), cgroup.cpuPeriods());
                } catch (IOException | RuntimeException e) {
                    // the first evaluation says what is wrong
                }
            }
        }
    }

    /** @return a builder with the defaults: warn above 90 % of the memory limit or 50 % of periods throttled */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public synchronized CheckResult check() {
        Cgroup cgroup = Cgroup.find(root, procSelfCgroup);
        if (cgroup == null) {
            return CheckResult.up("no cgroup found: not in a container, or cgroups not mounted at " + root);
        }
        try {
            return judge(cgroup);
        } catch (IOException e) {
            // a kernel file that vanished or holds what no kernel writes: say so, as for absent cgroups
            return CheckResult.up("cannot read the cgroup: " + e.getMessage())
                    .withData("cgroupVersion", cgroup.version());
        }
    }

    private CheckResult judge(Cgroup cgroup) throws IOException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("cgroupVersion", cgroup.version());
        Worst worst = new Worst();
        if (cgroup.memory() != null) {
            long used = Math.max(0, cgroup.memoryUsed() - cgroup.inactiveFile());
            long limit = cgroup.memoryLimit();
            data.put("memoryWorkingSetBytes", used);
            if (limit > 0) {
                double percent = 100.0 * used / limit;
                data.put("memoryLimitBytes", limit);
                data.put("memoryPercent", Thresholds.round(percent));
                Status s = memoryLimits.judge(percent);
                worst.offer(
                        s, memoryLimits.sentence(s, "memory (limit " + (limit >> 20) + " MiB)", percent, "%"), percent);
            } else {
                worst.offer(Status.UP, "no memory limit", 0);
            }
        }
        if (cgroup.cpu() != null) {
            Window.Increase inc = window.observe(ticker.read(), cgroup.cpuPeriods());
            if (inc != null && inc.delta(0) > 0) {
                double percent = 100.0 * inc.delta(1) / inc.delta(0);
                data.put("throttledPercent", Thresholds.round(percent));
                data.put("periods", (long) inc.delta(0));
                data.put("windowSeconds", Thresholds.round(inc.spanNanos() / 1e9));
                Status s = throttleLimits.judge(percent);
                worst.offer(s, throttleLimits.sentence(s, "CPU periods throttled", percent, "%"), percent);
            }
        }
        memoryLimits.limits(data, "memory");
        throttleLimits.limits(data, "throttled");
        return worst.result(data);
    }

    /** Settings of a {@link ContainerCheck}. Not thread-safe. */
    public static final class Builder {
        private Thresholds memory = Thresholds.NONE.withWarnAbove(90);
        private Thresholds throttled = Thresholds.NONE.withWarnAbove(50);
        private Duration window = Duration.ofMinutes(1);
        private Path root = Path.of("/sys/fs/cgroup");
        private Path procSelfCgroup = Path.of("/proc/self/cgroup");
        private Ticker ticker = Ticker.system();

        Builder() {}

        /**
         * @param percent DEGRADED strictly above this share of the memory limit in use; 90 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder memoryWarnAbovePercent(double percent) {
            memory = memory.withWarnAbove(Percent.check(percent, "memoryWarnAbovePercent"));
            return this;
        }

        /**
         * @param percent DOWN strictly above this share of the memory limit in use; not set by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder memoryFailAbovePercent(double percent) {
            memory = memory.withFailAbove(Percent.check(percent, "memoryFailAbovePercent"));
            return this;
        }

        /**
         * @param percent DEGRADED when strictly more than this share of the window's CPU periods were throttled;
         *                50 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder throttledWarnAbovePercent(double percent) {
            throttled = throttled.withWarnAbove(Percent.check(percent, "throttledWarnAbovePercent"));
            return this;
        }

        /**
         * @param percent DOWN when strictly more than this share of the window's CPU periods were throttled; not
         *                set by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder throttledFailAbovePercent(double percent) {
            throttled = throttled.withFailAbove(Percent.check(percent, "throttledFailAbovePercent"));
            return this;
        }

        /**
         * @param value the span of the throttling share; 1 min by default (stretched to the probe period if shorter)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder window(Duration value) {
            window = Percent.positive(value, "window");
            return this;
        }

        /**
         * @param value where the cgroup file system is mounted; {@code /sys/fs/cgroup} by default
         * @return this builder
         */
        public Builder cgroupRoot(Path value) {
            root = Objects.requireNonNull(value, "cgroupRoot");
            return this;
        }

        /**
         * @param value the monotonic time source of the window; {@link Ticker#system()} by default
         * @return this builder
         */
        public Builder ticker(Ticker value) {
            ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** For tests: another {@code /proc/self/cgroup}. */
        Builder procSelfCgroup(Path value) {
            procSelfCgroup = Objects.requireNonNull(value, "procSelfCgroup");
            return this;
        }

        /**
         * @return the check, which takes its first snapshot of the CPU counters now
         * @throws IllegalArgumentException if a warn limit exceeds its fail limit
         */
        public ContainerCheck build() {
            return new ContainerCheck(this);
        }
    }
}
