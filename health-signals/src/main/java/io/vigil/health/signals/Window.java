package io.vigil.health.signals;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A sliding window over cumulative numbers (counts, GC milliseconds, throttled periods, histogram buckets) in
 * constant memory: a ring of about {@code slots + 3} snapshots, fed by the check's own evaluations (no thread of
 * its own) and timed by a monotonic ticker.
 *
 * <p>The definition, which {@code WindowPropertiesTest} checks against an unbounded model:
 * <ul>
 *   <li>an observation at {@code now} is <em>kept</em> when nothing is kept yet or at least the resolution
 *       ({@code window / slots}) has passed since the last kept one; it is kept after the answer is computed;</li>
 *   <li>the <em>baseline</em> is the newest kept snapshot at or before {@code now - window}, else (warming up) the
 *       oldest kept one; snapshots taken at or after {@code now} are never baselines;</li>
 *   <li>the answer is the increase from the baseline to {@code now} and the span between them, or none when there
 *       is no baseline or the span is shorter than the resolution ("not enough data");</li>
 *   <li>a number that decreases was reset (a meter removed and registered again, a process restarted): the
 *       increase counts its new value as grown from zero, as Prometheus's {@code increase()} does.</li>
 * </ul>
 * With kept snapshots at least a resolution apart, at most {@code window / resolution + 1} lie after
 * {@code now - window}, so one more holds every baseline the definition can pick. Not thread-safe: its owner guards
 * it.
 */
final class Window {
    private final long windowNanos;
    private final long resolutionNanos;
    private final int width;
    private final long[] times;
    private final double[] values; // ring: snapshot i occupies [i * width, (i + 1) * width)
    private int oldest;
    private int size;
    private double @Nullable [] lastRaw; // null until the first observation
    private final double[] offset;
    private final double[] adjusted;

    /**
     * @param window the span the answers cover
     * @param slots  snapshots per window, at least 1
     * @param width  numbers per snapshot, at least 1
     */
    Window(Duration window, int slots, int width) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero() || slots < 1 || width < 1) {
            throw new IllegalArgumentException("need a positive window, slots >= 1 and width >= 1");
        }
        this.windowNanos = window.toNanos();
        this.resolutionNanos = Math.max(1, windowNanos / slots);
        this.width = width;
        // at most windowNanos / resolution + 1 kept snapshots lie after now - window, one more is the baseline
        // before it; the division rounds the resolution down, so that can exceed slots + 1 (RatePropertiesTest
        // found it with a 15 ns window of 12 slots)
        int capacity = (int) Math.min(Integer.MAX_VALUE / 2, windowNanos / resolutionNanos + 3);
        this.times = new long[capacity];
        this.values = new double[capacity * width];
        this.offset = new double[width];
        this.adjusted = new double[width];
    }

    /** The increase of each number over {@code spanNanos}. */
    static final class Increase {
        private final long spanNanos;
        private final double[] delta; // owned, never modified after construction

        Increase(long spanNanos, double[] delta) {
            this.spanNanos = spanNanos;
            this.delta = delta;
        }

        long spanNanos() {
            return spanNanos;
        }

        /** @return the increase of number {@code i} over the span */
        double delta(int i) {
            return delta[i];
        }

        /** @return the increase of number {@code i} per second */
        double perSecond(int i) {
            return delta[i] * 1e9 / spanNanos;
        }
    }

    int width() {
        return width;
    }

    /**
     * Observes the cumulative numbers at {@code now}.
     *
     * @param now ticker reading, nanoseconds
     * @param raw the numbers, {@link #width()} of them; NaN is read as 0
     * @return the increase since the baseline, or {@code null} when there is not enough data yet
     */
    @Nullable
    Increase observe(long now, double... raw) {
        if (raw.length != width) {
            throw new IllegalArgumentException("expected " + width + " numbers, got " + raw.length);
        }
        if (lastRaw == null) {
            lastRaw = new double[width];
        }
        for (int i = 0; i < width; i++) {
            double v = Double.isNaN(raw[i]) ? 0 : raw[i];
            if (v < lastRaw[i]) {
                offset[i] += lastRaw[i]; // a reset: the new value grew from zero
            }
            lastRaw[i] = v;
            adjusted[i] = v + offset[i];
        }
        int base = baseline(now);
        Increase answer = null;
        if (base >= 0 && now - times[base] >= resolutionNanos) {
            double[] delta = new double[width];
            for (int i = 0; i < width; i++) {
                delta[i] = adjusted[i] - values[base * width + i];
            }
            answer = new Increase(now - times[base], delta);
        }
        if (size == 0 || now - times[index(size - 1)] >= resolutionNanos) {
            keep(now);
        }
        return answer;
    }

    /** Forgets everything, as if new. */
    void clear() {
        size = 0;
        oldest = 0;
        lastRaw = null;
        Arrays.fill(offset, 0);
    }

    private int baseline(long now) {
        int newestBefore = -1;
        int oldestUsable = -1;
        for (int k = 0; k < size; k++) {
            int slot = index(k);
            long t = times[slot];
            if (now - t <= 0) {
                break; // kept at or after now: never a baseline (and nothing newer is either)
            }
            if (oldestUsable < 0) {
                oldestUsable = slot;
            }
            if (now - t >= windowNanos) {
                newestBefore = slot;
            }
        }
        return newestBefore >= 0 ? newestBefore : oldestUsable;
    }

    private void keep(long now) {
        int slot;
        if (size == times.length) {
            slot = oldest;
            oldest = (oldest + 1) % times.length;
        } else {
            slot = index(size);
            size++;
        }
        times[slot] = now;
        System.arraycopy(adjusted, 0, values, slot * width, width);
    }

    private int index(int k) {
        return (oldest + k) % times.length;
    }
}
