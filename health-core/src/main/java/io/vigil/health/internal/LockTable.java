package io.vigil.health.internal;

import io.vigil.health.LockInfo;
import io.vigil.health.TaskLock;
import io.vigil.health.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Locks held by long-running tasks. Thread-safe; expiry is applied whenever the table is read. Maximum durations
 * are measured on the monotonic ticker; the wall clock only stamps the times shown.
 */
final class LockTable {
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;
    private final Ticker ticker;
    private final EventBus events;

    LockTable(Clock clock, Ticker ticker, EventBus events) {
        this.clock = clock;
        this.ticker = ticker;
        this.events = events;
    }

    TaskLock acquire(String name, String description, @Nullable Duration maxDuration) {
        LockInfo info =
                LockInfo.of(name, clock.instant()).withDescription(description).withMaxDuration(maxDuration);
        Held h = new Held(ids.incrementAndGet(), info, ticker.read());
        held.put(h.id, h);
        events.publish(EventBus.Kind.LOCK_ACQUIRED, l -> l.onLockAcquired(info));
        return h;
    }

    /** @return the locks still held, oldest first, after releasing expired ones */
    List<LockInfo> active() {
        if (held.isEmpty()) {
            return List.of();
        }
        long now = ticker.read();
        List<LockInfo> out = new ArrayList<>(held.size());
        for (Held h : held.values()) {
            if (h.expired(now)) {
                h.release(true);
            } else {
                out.add(h.info);
            }
        }
        out.sort(Comparator.comparing(LockInfo::since).thenComparing(LockInfo::name));
        return out;
    }

    /**
     * @return how long until every held lock has expired at the latest, or {@code null} when a held lock has no
     *         maximum duration (or none is held)
     */
    @Nullable
    Duration untilAllExpire() {
        long now = ticker.read();
        long longest = -1;
        for (Held h : held.values()) {
            if (h.maxNanos < 0) {
                return null;
            }
            longest = Math.max(longest, h.maxNanos - (now - h.acquiredAt));
        }
        return longest < 0 ? null : Duration.ofNanos(longest);
    }

    private final class Held implements TaskLock {
        private final long id;
        private final LockInfo info;
        private final long acquiredAt;
        private final long maxNanos; // -1: none
        private final AtomicBoolean released = new AtomicBoolean();

        Held(long id, LockInfo info, long acquiredAt) {
            this.id = id;
            this.info = info;
            this.acquiredAt = acquiredAt;
            this.maxNanos = info.maxDuration() == null ? -1 : info.maxDuration().toNanos();
        }

        boolean expired(long now) {
            return maxNanos >= 0 && now - acquiredAt >= maxNanos;
        }

        @Override
        public LockInfo info() {
            return info;
        }

        @Override
        public boolean isHeld() {
            if (released.get()) {
                return false;
            }
            active(); // applies expiry
            return !released.get();
        }

        @Override
        public void close() {
            release(false);
        }

        void release(boolean expired) {
            if (released.compareAndSet(false, true)) {
                held.remove(id);
                Duration d = Duration.ofNanos(ticker.read() - acquiredAt);
                events.publish(EventBus.Kind.LOCK_RELEASED, l -> l.onLockReleased(info, d, expired));
            }
        }

        @Override
        public String toString() {
            return "TaskLock[" + info.name() + (released.get() ? ", released]" : ", held]");
        }
    }
}
