package io.vigil.health;

/** Why a check has the status it has, as decided by the engine. */
public enum Cause {
    /** The check ran and returned its result. */
    REPORTED,
    /** The check threw an exception or returned {@code null}. */
    EXCEPTION,
    /**
     * The check did not finish within its timeout, or an earlier execution is still running past its timeout
     * (the message then says "still running after N ms"); counts as a failure each time.
     */
    TIMEOUT,
    /** The check has never produced a result (background refresh not yet run); counts as DOWN. */
    NEVER_RUN,
    /** The circuit breaker is open: the last failure is reported without calling the dependency. */
    CIRCUIT_OPEN,
    /** No thread was free to run the check: DOWN for that evaluation only, never counted as a failure. */
    REJECTED,
    /**
     * A background-refreshed check has completed no refresh for {@code max(3 × period, period + timeout)}; the
     * last result is no longer served as if it were current.
     */
    STALE,
    /**
     * The caller was interrupted while it waited for the check: an answer for that caller only, never recorded.
     */
    INTERRUPTED
}
