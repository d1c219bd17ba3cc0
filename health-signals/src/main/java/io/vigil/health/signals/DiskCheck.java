package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Free space on the file systems holding one or more paths, in percent of their size and in bytes, as runbooks
 * state it ("less than 10 % free"):
 *
 * <pre>{@code
 * health.register("disk", DiskCheck.builder(Path.of("/var/lib/app"), Path.of("/tmp")).build());
 * }</pre>
 *
 * Free means usable by this process ({@link FileStore#getUsableSpace()}, which leaves out blocks reserved for
 * root). DEGRADED below {@code warnBelowFreePercent} (10 % by default) or {@code warnBelowFreeBytes}; DOWN only
 * below {@code failBelowFreePercent} or {@code failBelowFreeBytes}, neither set by default; the worst path decides.
 * A path whose file system cannot be read is DOWN naming it. Data per path: {@code <path> freePercent},
 * {@code <path> freeBytes}, {@code <path> totalBytes}.
 *
 * <p>Which probe: readiness. A full disk is not cured by a restart, so the defaults only degrade; a service that
 * cannot work without its disk sets a fail limit and stops taking traffic. Blocking ({@link #nonBlocking()} is
 * {@code false}): a network file system may hang, so it runs on the engine's pool under its timeout. Immutable and
 * thread-safe.
 */
public final class DiskCheck implements HealthCheck {
    private final List<Path> paths;
    private final Thresholds percentLimits;
    private final Thresholds byteLimits;

    private DiskCheck(Builder b) {
        this.paths = List.copyOf(b.paths);
        this.percentLimits = b.percent.validated();
        this.byteLimits = b.bytes.validated();
    }

    /**
     * @param path any path on a file system to watch
     * @param more more paths, each judged on its own
     * @return a builder with the default: warn below 10 % free
     */
    public static Builder builder(Path path, Path... more) {
        Builder b = new Builder();
        b.paths.add(Objects.requireNonNull(path, "path"));
        for (Path p : more) {
            b.paths.add(Objects.requireNonNull(p, "path"));
        }
        return b;
    }

    @Override
    public CheckResult check() {
        Map<String, Object> data = new LinkedHashMap<>();
        Worst worst = new Worst();
        for (Path path : paths) {
            FileStore store;
            long free;
            long total;
            try {
                store = Files.getFileStore(path);
                free = store.getUsableSpace();
                total = store.getTotalSpace();
            } catch (IOException e) {
                worst.offer(
                        Status.DOWN,
                        "cannot read the file system of " + path + ": "
                                + e.getClass().getSimpleName(),
                        Double.MAX_VALUE);
                continue;
            }
            double percent = total > 0 ? 100.0 * free / total : 0;
            data.put(path + " freePercent", Thresholds.round(percent));
            data.put(path + " freeBytes", free);
            data.put(path + " totalBytes", total);
            Status byPercent = percentLimits.judge(percent);
            worst.offer(byPercent, percentLimits.sentence(byPercent, path + ": free", percent, "%"), 100 - percent);
            Status byBytes = byteLimits.judge((double) free); // bytes: exact in a double up to 8 PiB
            if (byBytes != Status.UP) {
                worst.offer(
                        byBytes, byteLimits.sentence(byBytes, path + ": free", (double) free, "bytes"), 100 - percent);
            }
        }
        percentLimits.limits(data, "freePercent");
        byteLimits.limits(data, "freeBytes", true);
        return worst.result(data);
    }

    /** Settings of a {@link DiskCheck}. Not thread-safe. */
    public static final class Builder {
        private final List<Path> paths = new ArrayList<>();
        private Thresholds percent = Thresholds.NONE.withWarnBelow(10);
        private Thresholds bytes = Thresholds.NONE;

        Builder() {}

        /**
         * @param value DEGRADED strictly below this share of the file system free; 10 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder warnBelowFreePercent(double value) {
            percent = percent.withWarnBelow(Percent.check(value, "warnBelowFreePercent"));
            return this;
        }

        /**
         * @param value DOWN strictly below this share of the file system free; not set by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder failBelowFreePercent(double value) {
            percent = percent.withFailBelow(Percent.check(value, "failBelowFreePercent"));
            return this;
        }

        /**
         * @param value DEGRADED strictly below this many free bytes; not set by default
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder warnBelowFreeBytes(long value) {
            bytes = bytes.withWarnBelow((double) nonNegative(value));
            return this;
        }

        /**
         * @param value DOWN strictly below this many free bytes; not set by default
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder failBelowFreeBytes(long value) {
            bytes = bytes.withFailBelow((double) nonNegative(value));
            return this;
        }

        private static long nonNegative(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("a byte limit must be >= 0: " + value);
            }
            return value;
        }

        /**
         * @return the check
         * @throws IllegalArgumentException if a warn limit is below its fail limit
         */
        public DiskCheck build() {
            return new DiskCheck(this);
        }
    }
}
