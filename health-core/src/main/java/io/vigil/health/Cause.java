package io.vigil.health;

/** Why a check has the status it has, as decided by the engine. */
public enum Cause {
    /** The check ran and returned its result. */
    REPORTED,
    /** The check threw an exception or returned {@code null}. */
    EXCEPTION,
    /** The check did not finish within its timeout. */
    TIMEOUT,
    /** The check has never produced a result (background refresh not yet run); counts as DOWN. */
    NEVER_RUN,
    /** The circuit breaker is open: the last failure is reported without calling the dependency. */
    CIRCUIT_OPEN,
    /** No thread was free to run the check. */
    REJECTED
}
