package io.vigil.health.signals;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Health from the application's own Micrometer meters, found by name and tags in its {@code MeterRegistry} at
 * every evaluation (so meters registered late, or removed and registered again, are followed):
 *
 * <ul>
 *   <li>{@link #gauge gauge}: the sum of the matching gauges' values (events in progress, a breaker's state);</li>
 *   <li>{@link #rate rate}: the increase per second of the matching counters (or timers' and summaries' counts)
 *       over the window;</li>
 *   <li>{@link #ratio ratio}: the increase of one set of counts over the increase of another over the window
 *       (server errors over requests);</li>
 *   <li>{@link #percentile percentile}: a timer's or summary's percentile, in seconds for timers: the percentile
 *       the meter publishes ({@code publishPercentiles(0.95)}), else interpolated in its histogram buckets
 *       ({@code publishPercentileHistogram()}); over Micrometer's distribution window
 *       ({@code distributionStatisticExpiry}, 2 min by default);</li>
 *   <li>{@link #max max}: a timer's or summary's maximum over that same distribution window.</li>
 * </ul>
 *
 * The window of rates and ratios is a ring of 15 snapshots (12 slots per window) taken by the evaluations
 * themselves, timed by the {@link Builder#ticker(Ticker) ticker}: no thread of its own, constant memory. Until the
 * window holds a snapshot older than a twelfth of it, and while fewer than
 * {@link Builder#minSamples(long) minSamples} events (the denominator's, for a ratio) fell in it, the check is
 * UP with "not enough data". A counter that goes down was reset and counts as grown from zero. A query that matches no meter (or only gauges that are NaN) is
 * {@link Builder#whenMissing(Status) whenMissing} (UP by default) with "no such meter"; one that matches only
 * meters of the wrong type (a rate of a gauge) is DEGRADED naming the mistake.
 *
 * <p>Inline ({@link #nonBlocking()} is {@code true}): it reads memory only; gauge and function-counter functions
 * of the application must not block. Which probe: readiness (DEGRADED or DOWN by the limits chosen), never
 * liveness: a restart cures none of these numbers. Thread-safe; loads Micrometer only when used.
 */
public final class MeterCheck implements HealthCheck {
    private static final int SLOTS = 12;

    private enum Kind {
        GAUGE,
        RATE,
        RATIO,
        PERCENTILE,
        MAX
    }

    private final MeterRegistry registry;
    private final Kind kind;
    private final MeterQuery query;
    private final @Nullable MeterQuery denominator; // RATIO only
    private final double percentile; // PERCENTILE only
    private final Thresholds limits;
    private final Duration windowLength;
    private final long minSamples;
    private final Status whenMissing;
    private final Ticker ticker;
    private final String unit;
    private final @Nullable Window window; // guarded by this; null for a gauge

    private MeterCheck(Builder b) {
        this.registry = b.registry;
        this.kind = b.kind;
        this.query = b.query;
        this.denominator = b.denominator;
        this.percentile = b.percentile;
        this.limits = b.limits.validated();
        this.windowLength = b.window;
        this.minSamples = b.minSamples >= 0 ? b.minSamples : kind == Kind.RATE ? 0 : 10;
        this.whenMissing = b.whenMissing;
        this.ticker = b.ticker;
        this.unit = b.unit != null ? b.unit : kind == Kind.RATE ? "/s" : "";
        this.window = kind == Kind.GAUGE ? null : new Window(windowLength, SLOTS, kind == Kind.RATIO ? 2 : 1);
        if (window != null) {
            synchronized (this) {
                counts(); // the first snapshot: the first evaluation a resolution later has a baseline
            }
        }
    }

    /**
     * A check of the sum of the values of the gauges that match.
     *
     * @param registry the application's registry
     * @param query    the gauges
     * @return a builder
     */
    public static Builder gauge(MeterRegistry registry, MeterQuery query) {
        return new Builder(registry, Kind.GAUGE, query, null, Double.NaN);
    }

    /**
     * A check of the events per second counted by the matching counters, function counters, timers or summaries
     * over the window.
     *
     * @param registry the application's registry
     * @param query    the counters
     * @return a builder
     */
    public static Builder rate(MeterRegistry registry, MeterQuery query) {
        return new Builder(registry, Kind.RATE, query, null, Double.NaN);
    }

    /**
     * A check of the increase of the {@code numerator}'s counts over the increase of the {@code denominator}'s over
     * the window, a fraction (0.01 is 1 %); the minimum sample count applies to the denominator.
     *
     * @param registry    the application's registry
     * @param numerator   the counters of the events that matter (errors)
     * @param denominator the counters of all events (requests)
     * @return a builder
     */
    public static Builder ratio(MeterRegistry registry, MeterQuery numerator, MeterQuery denominator) {
        return new Builder(
                registry, Kind.RATIO, numerator, Objects.requireNonNull(denominator, "denominator"), Double.NaN);
    }

    /**
     * A check of a percentile of the matching timers (in seconds) or distribution summaries.
     *
     * @param registry   the application's registry
     * @param query      the timers or summaries
     * @param percentile in (0, 1), e.g. 0.95
     * @return a builder
     * @throws IllegalArgumentException if {@code percentile} is not in (0, 1)
     */
    public static Builder percentile(MeterRegistry registry, MeterQuery query, double percentile) {
        if (!(percentile > 0 && percentile < 1)) {
            throw new IllegalArgumentException("percentile must be in (0, 1): " + percentile);
        }
        return new Builder(registry, Kind.PERCENTILE, query, null, percentile);
    }

    /**
     * A check of the largest maximum of the matching timers (in seconds) or distribution summaries.
     *
     * @param registry the application's registry
     * @param query    the timers or summaries
     * @return a builder
     */
    public static Builder max(MeterRegistry registry, MeterQuery query) {
        return new Builder(registry, Kind.MAX, query, null, Double.NaN);
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public synchronized CheckResult check() {
        return switch (kind) {
            case GAUGE -> gaugeResult();
            case RATE, RATIO -> windowResult();
            case PERCENTILE, MAX -> distributionResult();
        };
    }

    private CheckResult gaugeResult() {
        Collection<Meter> meters = find(query);
        double sum = 0;
        int used = 0;
        for (Meter m : meters) {
            if (m instanceof Gauge g) {
                double v = g.value();
                if (!Double.isNaN(v)) {
                    sum += v;
                    used++;
                }
            }
        }
        if (used == 0) {
            return meters.stream().anyMatch(m -> m instanceof Gauge) || meters.isEmpty()
                    ? missing(query)
                    : misfit(query, meters, "a gauge");
        }
        return limits.result(query.toString(), sum, unit).withData("meters", used);
    }

    private CheckResult windowResult() {
        Counts counts = counts();
        if (counts.missing != null) {
            return counts.missing;
        }
        if (counts.increase == null) {
            return notEnough("window warming up", 0);
        }
        int samplesIndex = kind == Kind.RATIO ? 1 : 0;
        double samples = counts.increase.delta(samplesIndex);
        if (samples < minSamples || (kind == Kind.RATIO && samples == 0)) {
            return notEnough((long) samples + " events in the window, need " + Math.max(1, minSamples), samples);
        }
        double value =
                kind == Kind.RATE ? counts.increase.perSecond(0) : counts.increase.delta(0) / counts.increase.delta(1);
        String what = kind == Kind.RATE ? "rate of " + query : query + " / " + denominator;
        return limits.result(what, value, unit).withData(windowData(counts.increase, samples));
    }

    private CheckResult distributionResult() {
        Counts counts = counts();
        if (counts.missing != null) {
            return counts.missing;
        }
        double samples = counts.increase == null ? 0 : counts.increase.delta(0);
        if (minSamples > 0 && (counts.increase == null || samples < minSamples)) {
            return notEnough(
                    counts.increase == null
                            ? "window warming up"
                            : (long) samples + " events in the window, need " + minSamples,
                    samples);
        }
        List<Meter> meters = distributions(find(query));
        double value = kind == Kind.MAX ? max(meters) : percentile(meters);
        if (Double.isNaN(value)) {
            return misfit(
                    query,
                    meters,
                    "a percentile " + percentile + " or a histogram (publishPercentiles(" + percentile
                            + ") or publishPercentileHistogram())");
        }
        String what = (kind == Kind.MAX ? "max of " : "p" + Thresholds.format(percentile * 100, "") + " of ") + query;
        CheckResult r = limits.result(what, value, unit(meters));
        return counts.increase == null ? r : r.withData(windowData(counts.increase, samples));
    }

    private Map<String, Object> windowData(Window.Increase inc, double samples) {
        return Map.of("samples", (long) samples, "windowSeconds", Thresholds.round(inc.spanNanos() / 1e9));
    }

    private CheckResult notEnough(String why, double samples) {
        return CheckResult.up("not enough data: " + why)
                .withData("samples", (long) samples)
                .withData("minSamples", minSamples);
    }

    private CheckResult missing(MeterQuery q) {
        return CheckResult.of(whenMissing, "no such meter: " + q).withData("meter", q.toString());
    }

    private static CheckResult misfit(MeterQuery q, Collection<Meter> meters, String needed) {
        String types = meters.stream()
                .map(m -> m.getId().getType().name().toLowerCase(java.util.Locale.ROOT))
                .distinct()
                .sorted()
                .reduce((a, b) -> a + ", " + b)
                .orElse("none");
        return CheckResult.degraded(q + " has no " + needed + " (meter types: " + types + ")")
                .withData("meter", q.toString());
    }

    /** The cumulative counts observed into the window now, or why there are none. */
    private record Counts(
            Window.@Nullable Increase increase, @Nullable CheckResult missing) {}

    private Counts counts() {
        Collection<Meter> numerator = find(query);
        double n = count(numerator);
        if (Double.isNaN(n)) {
            return new Counts(null, numerator.isEmpty() ? missing(query) : misfit(query, numerator, "counter"));
        }
        Window w = Objects.requireNonNull(window, "only a gauge has no window, and it counts nothing");
        if (kind != Kind.RATIO) {
            return new Counts(w.observe(ticker.read(), n), null);
        }
        MeterQuery den = Objects.requireNonNull(denominator, "a ratio has a denominator");
        Collection<Meter> all = find(den);
        double d = count(all);
        if (Double.isNaN(d)) {
            return new Counts(null, all.isEmpty() ? missing(den) : misfit(den, all, "counter"));
        }
        return new Counts(w.observe(ticker.read(), n, d), null);
    }

    private Collection<Meter> find(MeterQuery q) {
        List<Tag> tags = new ArrayList<>(q.tags().size());
        q.tags().forEach((k, v) -> tags.add(Tag.of(k, v)));
        return registry.find(q.name()).tags(tags).meters();
    }

    /** @return the sum of the counts of the countable meters, NaN when none is countable */
    private static double count(Collection<Meter> meters) {
        double sum = 0;
        boolean any = false;
        for (Meter m : meters) {
            double c = m instanceof Counter x
                    ? x.count()
                    : m instanceof FunctionCounter x
                            ? x.count()
                            : m instanceof Timer x
                                    ? x.count()
                                    : m instanceof FunctionTimer x
                                            ? x.count()
                                            : m instanceof DistributionSummary x ? x.count() : Double.NaN;
            if (!Double.isNaN(c)) {
                sum += c;
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }

    private static List<Meter> distributions(Collection<Meter> meters) {
        List<Meter> out = new ArrayList<>();
        for (Meter m : meters) {
            if (m instanceof Timer || m instanceof DistributionSummary) {
                out.add(m);
            }
        }
        return out;
    }

    private String unit(List<Meter> meters) {
        if (!unit.isEmpty()) {
            return unit;
        }
        return !meters.isEmpty() && meters.get(0) instanceof Timer ? "s" : "";
    }

    private static double max(List<Meter> meters) {
        double max = Double.NaN;
        for (Meter m : meters) {
            double v = m instanceof Timer t ? t.max(TimeUnit.SECONDS) : ((DistributionSummary) m).max();
            max = Double.isNaN(max) ? v : Math.max(max, v);
        }
        return max;
    }

    /**
     * The published percentile when every meter publishes it (the largest across meters), else the percentile of
     * the merged histograms, interpolated linearly inside its bucket; NaN when neither is available.
     */
    private double percentile(List<Meter> meters) {
        double published = Double.NaN;
        double[] bounds = null;
        double @Nullable [] merged = null;
        boolean allPublish = !meters.isEmpty();
        boolean allHistograms = !meters.isEmpty();
        for (Meter m : meters) {
            boolean timer = m instanceof Timer;
            HistogramSnapshot s = timer ? ((Timer) m).takeSnapshot() : ((DistributionSummary) m).takeSnapshot();
            double p = Double.NaN;
            for (ValueAtPercentile v : s.percentileValues()) {
                if (Math.abs(v.percentile() - percentile) < 1e-9) {
                    p = timer ? v.value(TimeUnit.SECONDS) : v.value();
                }
            }
            if (Double.isNaN(p)) {
                allPublish = false;
            } else {
                published = Double.isNaN(published) ? p : Math.max(published, p);
            }
            CountAtBucket[] buckets = s.histogramCounts();
            if (buckets.length == 0) {
                allHistograms = false;
                continue;
            }
            double[] b = new double[buckets.length];
            for (int i = 0; i < buckets.length; i++) {
                b[i] = timer ? buckets[i].bucket(TimeUnit.SECONDS) : buckets[i].bucket();
            }
            if (bounds == null || merged == null) { // set together
                bounds = b;
                merged = new double[b.length];
            } else if (!java.util.Arrays.equals(bounds, b)) {
                allHistograms = false;
                continue;
            }
            for (int i = 0; i < buckets.length; i++) {
                merged[i] += buckets[i].count();
            }
        }
        if (allPublish) {
            return published;
        }
        return allHistograms && bounds != null && merged != null
                ? Histograms.percentile(bounds, merged, percentile)
                : Double.NaN;
    }

    /** Settings of a {@link MeterCheck}; at least one limit must be set. Not thread-safe. */
    public static final class Builder {
        private final MeterRegistry registry;
        private final Kind kind;
        private final MeterQuery query;
        private final @Nullable MeterQuery denominator;
        private final double percentile;
        private Thresholds limits = Thresholds.NONE;
        private Duration window = Duration.ofMinutes(1);
        private long minSamples = -1; // per kind: 0 for a rate, 10 otherwise
        private Status whenMissing = Status.UP;
        private Ticker ticker = Ticker.system();
        private @Nullable String unit; // null: per kind

        Builder(
                MeterRegistry registry,
                Kind kind,
                MeterQuery query,
                @Nullable MeterQuery denominator,
                double percentile) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.kind = kind;
            this.query = Objects.requireNonNull(query, "query");
            this.denominator = denominator;
            this.percentile = percentile;
        }

        /**
         * @param limit DEGRADED strictly above this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder warnAbove(double limit) {
            limits = limits.withWarnAbove(limit);
            return this;
        }

        /**
         * @param limit DOWN strictly above this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder failAbove(double limit) {
            limits = limits.withFailAbove(limit);
            return this;
        }

        /**
         * @param limit DEGRADED strictly below this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder warnBelow(double limit) {
            limits = limits.withWarnBelow(limit);
            return this;
        }

        /**
         * @param limit DOWN strictly below this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder failBelow(double limit) {
            limits = limits.withFailBelow(limit);
            return this;
        }

        /**
         * @param value the span of rates and ratios, and of the minimum sample count; 1 min by default. A window
         *              shorter than the probe period stretches to the time between two probes.
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder window(Duration value) {
            window = Percent.positive(value, "window");
            return this;
        }

        /**
         * @param value events in the window below which the check is UP with "not enough data": 0 for a rate,
         *              10 for a ratio (its denominator), a percentile or a max by default; ignored by a gauge
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder minSamples(long value) {
            if (value < 0) {
                throw new IllegalArgumentException("minSamples must be >= 0");
            }
            minSamples = value;
            return this;
        }

        /**
         * @param value the status while no meter matches: {@code UP} by default (a meter registered late), or
         *              {@code DEGRADED}/{@code DOWN} when its absence is itself a fault
         * @return this builder
         */
        public Builder whenMissing(Status value) {
            whenMissing = Objects.requireNonNull(value, "whenMissing");
            return this;
        }

        /**
         * @param value the monotonic time source of the window; {@link Ticker#system()} by default (tests step
         *              their own)
         * @return this builder
         */
        public Builder ticker(Ticker value) {
            ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * @param value the unit shown after numbers; by default {@code /s} for a rate, {@code s} for a timer's
         *              percentile or max, none otherwise
         * @return this builder
         */
        public Builder unit(String value) {
            unit = Objects.requireNonNull(value, "unit");
            return this;
        }

        /**
         * @return the check, which takes its first snapshot of counts now
         * @throws IllegalArgumentException if no limit is set or the limits are inverted
         */
        public MeterCheck build() {
            if (!limits.any()) {
                throw new IllegalArgumentException("set at least one of warnAbove, failAbove, warnBelow, failBelow");
            }
            return new MeterCheck(this);
        }
    }
}
