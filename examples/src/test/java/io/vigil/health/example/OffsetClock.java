package io.vigil.health.example;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset the test moves forward: time keeps flowing (caches expire, breakers back off as
 * usual) and a test can still jump days ahead to let a license expire.
 */
final class OffsetClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration d) {
        offset = offset.plus(d);
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
        return Instant.now().plus(offset);
    }

    /** @return monotonic nanoseconds moved by the same offset, for the registry's ticker */
    long nanos() {
        return System.nanoTime() + offset.toNanos();
    }
}
