package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Open file descriptors (files, sockets, pipes) against the process's limit ({@code ulimit -n}): at the limit every
 * {@code accept}, {@code open} and connection fails with "Too many open files".
 *
 * <pre>{@code
 * health.register("file-descriptors", FileDescriptorCheck.builder().build());
 * }</pre>
 *
 * DEGRADED above {@code warnAbovePercent} (90 % by default); DOWN only above {@code failAbovePercent}, which is not
 * set by default. Where the JVM cannot tell (not a Unix JVM), UP with "not available". Data: {@code open},
 * {@code max}, {@code percent}.
 *
 * <p>Which probe: readiness, DEGRADED: a leak of descriptors is cured by a restart, but a burst of connections is
 * not, so liveness only with a fail limit chosen for it. Inline ({@link #nonBlocking()}): the JVM counts the
 * entries of {@code /proc/self/fd}, a kernel table, never a device. Immutable and thread-safe.
 */
public final class FileDescriptorCheck implements HealthCheck {
    private final Thresholds limits;

    private FileDescriptorCheck(Builder b) {
        this.limits = b.limits.validated();
    }

    /** @return a builder with the default: warn above 90 % */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public CheckResult check() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (!(os instanceof com.sun.management.UnixOperatingSystemMXBean unix)) {
            return CheckResult.up("file descriptor counts not available on this JVM");
        }
        long open = unix.getOpenFileDescriptorCount();
        long max = unix.getMaxFileDescriptorCount();
        if (open < 0 || max <= 0) {
            return CheckResult.up("file descriptor counts not available on this JVM");
        }
        double percent = 100.0 * open / max;
        Status status = limits.judge(percent);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("open", open);
        data.put("max", max);
        data.put("percent", Thresholds.round(percent));
        limits.limits(data, "");
        return CheckResult.of(
                        status,
                        limits.sentence(status, "file descriptors in use", percent, "%") + " (" + open + " of " + max
                                + ")")
                .withData(data);
    }

    /** Settings of a {@link FileDescriptorCheck}. Not thread-safe. */
    public static final class Builder {
        private Thresholds limits = Thresholds.NONE.withWarnAbove(90);

        Builder() {}

        /**
         * @param percent DEGRADED strictly above this share of the limit; 90 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder warnAbovePercent(double percent) {
            limits = limits.withWarnAbove(Percent.check(percent, "warnAbovePercent"));
            return this;
        }

        /**
         * @param percent DOWN strictly above this share of the limit; not set by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder failAbovePercent(double percent) {
            limits = limits.withFailAbove(Percent.check(percent, "failAbovePercent"));
            return this;
        }

        /**
         * @return the check
         * @throws IllegalArgumentException if the warn limit exceeds the fail limit
         */
        public FileDescriptorCheck build() {
            return new FileDescriptorCheck(this);
        }
    }
}
