package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.Ticker;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The share of wall time the JVM spent collecting garbage over a sliding window: a JVM above 90 % over a minute is
 * thrashing, doing little else than collecting a heap that no longer fits.
 *
 * <pre>{@code
 * health.register("gc", GcOverheadCheck.builder().build(),
 *         CheckPolicy.builder().probes(Probe.LIVENESS, Probe.READINESS).build());
 * }</pre>
 *
 * DOWN above {@code failAbovePercent} (90 % by default), DEGRADED above {@code warnAbovePercent} (50 %). The
 * collection time is the sum of every collector's {@code getCollectionTime()}; for concurrent collectors (ZGC,
 * Shenandoah) that includes concurrent phases that do not stop the application, so give them higher limits. The
 * window is a ring of snapshots taken by the evaluations themselves (see {@link MeterCheck}); until it holds a
 * snapshot a twelfth of the window old, UP with "not enough data". Data: {@code gcPercent}, {@code gcMillis} and
 * {@code windowSeconds}.
 *
 * <p>Which probe: liveness and readiness; a thrashing JVM does not recover on its own and a restart cures it.
 * Inline ({@link #nonBlocking()}): it reads the collectors' beans. Thread-safe.
 */
public final class GcOverheadCheck implements HealthCheck {
    private static final int SLOTS = 12;
    private final Thresholds limits;
    private final Ticker ticker;
    private final LongSupplier gcMillis;
    private final Window window; // guarded by this

    private GcOverheadCheck(Builder b, LongSupplier gcMillis) {
        this.limits = b.limits.validated();
        this.ticker = b.ticker;
        this.gcMillis = gcMillis;
        this.window = new Window(b.window, SLOTS, 1);
        synchronized (this) {
            window.observe(ticker.read(), (double) gcMillis.getAsLong()); // milliseconds: exact in a double
        }
    }

    /** @return a builder with the defaults: warn above 50 %, fail above 90 %, over 1 min */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public synchronized CheckResult check() {
        Window.Increase inc = window.observe(ticker.read(), (double) gcMillis.getAsLong());
        if (inc == null) {
            return CheckResult.up("not enough data: window warming up");
        }
        double percent = Math.min(100, inc.delta(0) * 1e6 * 100 / inc.spanNanos());
        Status status = limits.judge(percent);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("gcPercent", Thresholds.round(percent));
        data.put("gcMillis", (long) inc.delta(0));
        data.put("windowSeconds", Thresholds.round(inc.spanNanos() / 1e9));
        limits.limits(data, "");
        return CheckResult.of(
                        status,
                        limits.sentence(status, "time in GC", percent, "%") + " over the last "
                                + Thresholds.format(Thresholds.round(inc.spanNanos() / 1e9), "s"))
                .withData(data);
    }

    /** @return the total collection time of every collector that reports one, in milliseconds */
    static long totalGcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long t = gc.getCollectionTime();
            if (t > 0) {
                total += t;
            }
        }
        return total;
    }

    /** Settings of a {@link GcOverheadCheck}. Not thread-safe. */
    public static final class Builder {
        private Thresholds limits = Thresholds.NONE.withWarnAbove(50).withFailAbove(90);
        private Duration window = Duration.ofMinutes(1);
        private Ticker ticker = Ticker.system();

        Builder() {}

        /**
         * @param percent DEGRADED when strictly more than this share of the window was spent in GC; 50 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder warnAbovePercent(double percent) {
            limits = limits.withWarnAbove(Percent.check(percent, "warnAbovePercent"));
            return this;
        }

        /**
         * @param percent DOWN when strictly more than this share of the window was spent in GC; 90 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder failAbovePercent(double percent) {
            limits = limits.withFailAbove(Percent.check(percent, "failAbovePercent"));
            return this;
        }

        /**
         * @param value the span the share is taken over; 1 min by default (stretched to the probe period if shorter)
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder window(Duration value) {
            window = Percent.positive(value, "window");
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

        /**
         * @return the check, which takes its first snapshot now
         * @throws IllegalArgumentException if the warn limit exceeds the fail limit
         */
        public GcOverheadCheck build() {
            return new GcOverheadCheck(this, GcOverheadCheck::totalGcMillis);
        }

        /** For tests: the check over another source of collection milliseconds. */
        GcOverheadCheck build(LongSupplier gcMillis) {
            return new GcOverheadCheck(this, gcMillis);
        }
    }
}
