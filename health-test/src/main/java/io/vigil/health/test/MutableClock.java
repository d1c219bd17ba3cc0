package io.vigil.health.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand, for deterministic TTL, threshold, breaker, lock and license tests. It is two
 * sources in one: the wall clock ({@link #instant()}, for the registry's {@code clock}) and a monotonic tick count
 * ({@link #nanos()}, for its {@code ticker}, e.g. {@code .clock(clock).ticker(clock::nanos)}). {@link #advance}
 * moves both, as real time passing does; {@link #step} moves only the wall clock, as NTP or a VM resume does.
 */
public final class MutableClock extends Clock {
    private volatile Instant now;
    private volatile long nanos = 1_000_000_000L;

    /** @param start the initial instant */
    public MutableClock(Instant start) {
        this.now = start;
    }

    /** Starts at 2026-01-01T00:00:00Z. */
    public MutableClock() {
        this(Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** @param d how far time passes: moves the wall clock and the monotonic ticks */
    public synchronized void advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time does not pass backwards; use step() for a wall-clock step");
        }
        now = now.plus(d);
        nanos += d.toNanos();
    }

    /** @param d a step of the wall clock alone (negative: backwards); the monotonic ticks do not move */
    public synchronized void step(Duration d) {
        now = now.plus(d);
    }

    /** @return monotonic nanoseconds, moved only by {@link #advance} */
    public long nanos() {
        return nanos;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public long millis() {
        return now.toEpochMilli();
    }
}
