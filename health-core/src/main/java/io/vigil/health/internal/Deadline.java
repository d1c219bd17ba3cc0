package io.vigil.health.internal;

import java.time.Duration;

/**
 * A point in real time ({@link System#nanoTime()}) by which an execution must have finished: what callers wait
 * against. It is a type of its own so that it is never mixed up with the injectable ticker, which alone decides TTLs,
 * backoff and staleness. Immutable.
 */
final class Deadline {
    private final long at;

    private Deadline(long at) {
        this.at = at;
    }

    /**
     * @param budget how long from now
     * @return the deadline {@code budget} from now
     */
    static Deadline after(Duration budget) {
        return new Deadline(System.nanoTime() + budget.toNanos());
    }

    /** @return nanoseconds left, zero or negative once passed */
    long remainingNanos() {
        return at - System.nanoTime();
    }

    /** @return whether the deadline has passed */
    boolean passed() {
        return remainingNanos() <= 0;
    }

    /** @return the time left, at least one nanosecond (a budget handed to a check is never zero or negative) */
    Duration budget() {
        return Duration.ofNanos(Math.max(1, remainingNanos()));
    }
}
