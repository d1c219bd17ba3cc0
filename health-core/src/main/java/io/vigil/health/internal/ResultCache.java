package io.vigil.health.internal;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.Ticker;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The read side of one check's results: what may be served without running the check (within the cache TTL, or the
 * latest background refresh while it is not stale). Decided by the monotonic ticker only; lock-free, over the
 * {@link Recorder}'s volatile snapshot.
 */
final class ResultCache {
    private final CheckPolicy policy;
    private final Ticker ticker;
    private final Recorder recorder;
    private final Views views;
    private final long ttlNanos;
    private final long staleNanos;

    ResultCache(CheckPolicy policy, Ticker ticker, Recorder recorder, Views views) {
        this.policy = policy;
        this.ticker = ticker;
        this.recorder = recorder;
        this.views = views;
        this.ttlNanos = policy.cacheTtl().toNanos();
        long period = policy.refreshPeriod().toNanos();
        this.staleNanos = Math.max(3 * period, period + policy.timeout().toNanos());
    }

    /** @return the latest known entry: the never-run entry if none, the stale view of an overdue refresh */
    CheckEntry latest() {
        Recorder.Snapshot s = recorder.snapshot();
        if (s == null) {
            return views.neverRun();
        }
        return policy.refreshes() && ticker.read() - s.at > staleNanos ? stale(s) : s.cached();
    }

    /** @return the latest recorded entry as served from the cache, or the never-run entry */
    CheckEntry latestRecorded() {
        Recorder.Snapshot s = recorder.snapshot();
        return s == null ? views.neverRun() : s.cached();
    }

    /**
     * @param now ticker nanos
     * @return the entry to serve without running the check (a background-refreshed check always has one), or
     *         {@code null}
     */
    @Nullable
    CheckEntry served(long now) {
        Recorder.Snapshot s = recorder.snapshot();
        if (policy.refreshes()) {
            if (s == null) {
                return views.neverRun();
            }
            return now - s.at > staleNanos ? stale(s) : s.cached();
        }
        return fresh(now);
    }

    /**
     * @param now ticker nanos
     * @return the recorded entry while within the cache TTL, or {@code null}
     */
    @Nullable
    CheckEntry fresh(long now) {
        Recorder.Snapshot s = recorder.snapshot();
        return s != null && ttlNanos > 0 && now - s.at < ttlNanos ? s.cached() : null;
    }

    /**
     * Until when {@link #served} keeps serving the very entry it serves at {@code now}, as long as nothing is recorded
     * meanwhile: a fresh result until its TTL ends, a refreshed one until it turns stale, the never-run entry of a
     * refreshed check until its first result.
     *
     * @param now ticker nanos
     * @return ticker nanos, exclusive (compare by difference); {@code now} when the entry is not to be reused
     */
    long servedUntil(long now) {
        Recorder.Snapshot s = recorder.snapshot();
        if (policy.refreshes()) {
            if (s == null) {
                return now + (Long.MAX_VALUE >> 1); // until its first result: the version stamp moves then
            }
            return now - s.at > staleNanos ? now : s.at + staleNanos;
        }
        return s != null && ttlNanos > 0 && now - s.at < ttlNanos ? s.at + ttlNanos : now;
    }

    private CheckEntry stale(Recorder.Snapshot s) {
        return views.stale(s.fresh, TimeUnit.NANOSECONDS.toMillis(ticker.read() - s.at));
    }
}
