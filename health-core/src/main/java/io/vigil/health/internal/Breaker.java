package io.vigil.health.internal;

import io.vigil.health.BreakerState;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The circuit breaker of one check: CLOSED → (N failures in a row) → OPEN → (backoff passed) → HALF_OPEN (one trial
 * call) → CLOSED on success, OPEN again on failure. Time is monotonic nanoseconds. Not thread-safe: its runner
 * guards it. Each method that moves the state returns the transition, for the runner to publish.
 */
final class Breaker {
    /** A state change. */
    record Transition(BreakerState from, BreakerState to) {}

    private final int failuresToOpen; // 0: disabled
    private final long backoffNanos;
    private BreakerState state = BreakerState.CLOSED;
    private long openedAt;

    Breaker(int failuresToOpen, Duration backoff) {
        this.failuresToOpen = failuresToOpen;
        this.backoffNanos = backoff.toNanos();
    }

    BreakerState state() {
        return state;
    }

    /**
     * @param now monotonic nanos
     * @return nanoseconds until a trial call is allowed; 0 when calls may go through now
     */
    long waitNanos(long now) {
        if (state != BreakerState.OPEN) {
            return 0;
        }
        return Math.max(0, backoffNanos - (now - openedAt));
    }

    /**
     * A call goes through: an open breaker whose backoff has passed lets this one through as its trial.
     *
     * @return the transition, or {@code null}
     */
    @Nullable
    Transition beginCall() {
        return state == BreakerState.OPEN ? move(BreakerState.HALF_OPEN) : null;
    }

    /**
     * @param now                 monotonic nanos
     * @param consecutiveFailures failures in a row, this one included
     * @return the transition, or {@code null}
     */
    @Nullable
    Transition onFailure(long now, int consecutiveFailures) {
        if (failuresToOpen == 0) {
            return null;
        }
        if (state == BreakerState.HALF_OPEN || state == BreakerState.OPEN || consecutiveFailures >= failuresToOpen) {
            openedAt = now;
            return state == BreakerState.OPEN ? null : move(BreakerState.OPEN);
        }
        return null;
    }

    /** @return the transition, or {@code null} */
    @Nullable
    Transition onSuccess() {
        return state == BreakerState.CLOSED ? null : move(BreakerState.CLOSED);
    }

    /** @return the backoff to advertise while open, or {@code null} */
    @Nullable
    Duration retryAfter() {
        return state == BreakerState.OPEN ? Duration.ofNanos(backoffNanos) : null;
    }

    private Transition move(BreakerState to) {
        Transition t = new Transition(state, to);
        state = to;
        return t;
    }
}
