package io.vigil.health.faults;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.Status;

/**
 * The executable reference of one registered check's semantics, written to be obviously correct rather than fast:
 * no threads, no locks, no time but the ticker value it is given. Given what the check does on each call, it says
 * what every probe must answer (status, cause, breaker state) and whether that answer was counted.
 *
 * <p>The rules it encodes (docs/failure-semantics.md): a produced DOWN is damped by the failure threshold, a DOWN
 * check needs the success threshold to recover; the breaker counts only <em>reported</em> failures and, while open,
 * serves the last reported status; an execution running past its timeout is a counted TIMEOUT, and so is every
 * evaluation that finds it still running; an interrupted caller records nothing of its own; re-registration starts a
 * fresh state.
 */
final class SemanticsModel {
    /**
     * What a probe answers for the check; {@code starved} marks an engine answer that the check's execution was not
     * started within its timeout although a thread had taken it (a machine starved of CPU), never a model answer.
     */
    record Answer(Status status, Cause cause, BreakerState breaker, boolean starved) {
        Answer(Status status, Cause cause, BreakerState breaker) {
            this(status, cause, breaker, false);
        }
    }

    /** What the check does when called. */
    enum Behaviour {
        UP,
        DOWN,
        THROW,
        HANG
    }

    private final int failureThreshold;
    private final int successThreshold;
    private final int breakerFailures; // 0: no breaker
    private final long backoffNanos;

    private Status reported; // null before the first recorded result
    private int failures;
    private int successes;
    private int reportedFailures;
    private BreakerState breaker = BreakerState.CLOSED;
    private long openedAt;
    private boolean hung; // an execution is running past its timeout

    SemanticsModel(int failureThreshold, int successThreshold, int breakerFailures, long backoffNanos) {
        this.failureThreshold = failureThreshold;
        this.successThreshold = successThreshold;
        this.breakerFailures = breakerFailures;
        this.backoffNanos = backoffNanos;
    }

    /** @return an independent copy of this state */
    SemanticsModel copy() {
        SemanticsModel m = reRegistered();
        m.reported = reported;
        m.failures = failures;
        m.successes = successes;
        m.reportedFailures = reportedFailures;
        m.breaker = breaker;
        m.openedAt = openedAt;
        m.hung = hung;
        return m;
    }

    /** @return a fresh state under the same policy (a re-registration) */
    SemanticsModel reRegistered() {
        return new SemanticsModel(failureThreshold, successThreshold, breakerFailures, backoffNanos);
    }

    boolean hung() {
        return hung;
    }

    /** The hung execution returned (its late result is ignored). */
    void released() {
        hung = false;
    }

    /**
     * @param now ticker nanos
     * @return the answer of the open breaker, or {@code null} when a probe now gets through to the check
     */
    Answer open(long now) {
        if (breaker == BreakerState.OPEN && now - openedAt < backoffNanos) {
            return new Answer(reported == null ? Status.DOWN : reported, Cause.CIRCUIT_OPEN, BreakerState.OPEN);
        }
        return null;
    }

    /**
     * A probe by a caller that is not interrupted.
     *
     * @param b   what the check does if called
     * @param now ticker nanos
     * @return the answer
     */
    Answer probe(Behaviour b, long now) {
        Answer open = open(now);
        if (open != null) {
            return open;
        }
        if (hung) {
            return record(Status.DOWN, Cause.TIMEOUT, now); // still running: a counted failure, no call
        }
        if (breaker == BreakerState.OPEN) {
            breaker = BreakerState.HALF_OPEN; // this call is the trial
        }
        return switch (b) {
            case UP -> record(Status.UP, Cause.REPORTED, now);
            case DOWN -> record(Status.DOWN, Cause.REPORTED, now);
            case THROW -> record(Status.DOWN, Cause.EXCEPTION, now);
            case HANG -> {
                hung = true;
                yield record(Status.DOWN, Cause.TIMEOUT, now);
            }
        };
    }

    private Answer record(Status produced, Cause cause, long now) {
        if (produced == Status.DOWN) {
            failures++;
            successes = 0;
            boolean down = reported == null || reported == Status.DOWN || failures >= failureThreshold;
            if (down) {
                reported = Status.DOWN;
                reportedFailures++;
                if (breakerFailures > 0 && (breaker != BreakerState.CLOSED || reportedFailures >= breakerFailures)) {
                    breaker = BreakerState.OPEN;
                    openedAt = now;
                }
            }
        } else {
            successes++;
            failures = 0;
            reportedFailures = 0;
            if (reported != Status.DOWN || successes >= successThreshold) {
                reported = produced;
            }
            breaker = BreakerState.CLOSED;
        }
        return new Answer(reported, cause, breaker);
    }
}
