package io.vigil.health;

/**
 * A monotonic time source in nanoseconds: it decides every duration the engine measures (cache TTLs, breaker
 * backoff, lock maximum durations, the license TTL, staleness), so that stepping the wall clock (NTP, a VM
 * resumed) changes none of them. Only differences between two readings mean anything. The default is
 * {@link System#nanoTime()}; inject another one next to the {@link java.time.Clock} in tests.
 */
@FunctionalInterface
public interface Ticker {
    /** @return the current reading, in nanoseconds */
    long read();

    /** @return the ticker backed by {@link System#nanoTime()} */
    static Ticker system() {
        return System::nanoTime;
    }
}
