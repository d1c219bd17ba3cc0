package io.vigil.health.internal;

import io.vigil.health.LockInfo;
import io.vigil.health.TaskLock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Locks held by long-running tasks. Thread-safe; expiry is applied whenever the table is read. */
public final class LockTable {
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;
    private final Listeners listeners;

    LockTable(Clock clock, Listeners listeners) {
        this.clock = clock;
        this.listeners = listeners;
    }

    TaskLock acquire(String name, String description, Duration maxDuration) {
        LockInfo info = new LockInfo(name, description, clock.instant(), maxDuration);
        Held h = new Held(ids.incrementAndGet(), info);
        held.put(h.id, h);
        listeners.fire(l -> l.onLockAcquired(info));
        return h;
    }

    /** @return the locks still held, oldest first, after releasing expired ones */
    List<LockInfo> active() {
        if (held.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<LockInfo> out = new ArrayList<>(held.size());
        for (Held h : held.values()) {
            Instant exp = h.info.expiresAt();
            if (exp != null && !now.isBefore(exp)) {
                h.release(true);
            } else {
                out.add(h.info);
            }
        }
        out.sort(Comparator.comparing(LockInfo::since).thenComparing(LockInfo::name));
        return out;
    }

    private final class Held implements TaskLock {
        private final long id;
        private final LockInfo info;
        private final AtomicBoolean released = new AtomicBoolean();

        Held(long id, LockInfo info) {
            this.id = id;
            this.info = info;
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
                Duration d = Duration.between(info.since(), clock.instant());
                listeners.fire(l -> l.onLockReleased(info, d, expired));
            }
        }

        @Override
        public String toString() {
            return "TaskLock[" + info.name() + (released.get() ? ", released]" : ", held]");
        }
    }
}
