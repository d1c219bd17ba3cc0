package io.vigil.health;

import java.time.Duration;
import java.util.Objects;

/**
 * What the engine tells a check about the evaluation it runs in: the time it has left. The registration's
 * {@link CheckPolicy#timeout() timeout} is the only number a user sets; a check that talks to a dependency
 * derives its own I/O timeouts from {@link #remaining()}, so that its own diagnosis (an SQLState, a RESP error,
 * a TLS alert) arrives before the engine's generic timeout. Immutable and thread-safe.
 */
public final class CheckContext {
    private static final long MAX_RESERVE_NANOS = 200_000_000L;
    private static final long MIN_IO_NANOS = 1_000_000L;
    private final long deadlineNanos; // System.nanoTime() scale

    private CheckContext(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /**
     * A context whose deadline is {@code budget} from now; the engine makes one per execution, and code that
     * calls a check directly (a test, a CLI) may make its own.
     *
     * @param budget the time the check has, positive
     * @return the context
     * @throws NullPointerException     if {@code budget} is null
     * @throws IllegalArgumentException if {@code budget} is zero or negative
     */
    public static CheckContext within(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isZero() || budget.isNegative()) {
            throw new IllegalArgumentException("budget must be positive");
        }
        return new CheckContext(System.nanoTime() + saturatedNanos(budget));
    }

    /**
     * A context for calling a check outside an engine (a test, a command-line tool) whose I/O gets exactly the
     * adapter's own bound: {@link #ioTimeout(Duration) ioTimeout(cap)} is {@code cap}.
     *
     * @param cap the adapter's own upper bound, positive
     * @return the context
     * @throws NullPointerException     if {@code cap} is null
     * @throws IllegalArgumentException if {@code cap} is zero or negative
     */
    public static CheckContext direct(Duration cap) {
        return within(cap.plusNanos(2 * MAX_RESERVE_NANOS)); // more than cap is left after the reserve
    }

    /** @return the time left before the engine gives up on this execution; zero once it has passed */
    public Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }

    /**
     * The time left, but no more than {@code cap}: for an adapter whose own setting is an upper bound.
     *
     * @param cap the upper bound
     * @return {@code min(remaining(), cap)}
     * @throws NullPointerException if {@code cap} is null
     */
    public Duration remaining(Duration cap) {
        Objects.requireNonNull(cap, "cap");
        Duration left = remaining();
        return left.compareTo(cap) < 0 ? left : cap;
    }

    /**
     * The timeout to give the check's own blocking I/O: the time left less a reserve for reporting (a fifth of
     * it, at most 200 ms), so that the check's failure arrives before the engine's generic timeout; at most
     * {@code cap}, at least 1 ms.
     *
     * @param cap the adapter's own upper bound
     * @return the I/O timeout
     * @throws NullPointerException if {@code cap} is null
     */
    public Duration ioTimeout(Duration cap) {
        Objects.requireNonNull(cap, "cap");
        Duration io = ioTimeout();
        return io.compareTo(cap) < 0 ? io : cap;
    }

    /**
     * The timeout to give the check's own blocking I/O: the time left less a reserve for reporting (a fifth of
     * it, at most 200 ms), at least 1 ms.
     *
     * @return the I/O timeout
     */
    public Duration ioTimeout() {
        long left = deadlineNanos - System.nanoTime();
        long reserve = Math.min(MAX_RESERVE_NANOS, left / 5);
        return Duration.ofNanos(Math.max(MIN_IO_NANOS, left - reserve));
    }

    /** @return whether the deadline has passed */
    public boolean expired() {
        return deadlineNanos - System.nanoTime() <= 0;
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4; // centuries: a deadline that never passes, without nanoTime overflow
        }
    }

    @Override
    public String toString() {
        return "CheckContext[remaining=" + remaining() + "]";
    }
}
