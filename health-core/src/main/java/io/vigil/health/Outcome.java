package io.vigil.health;

/**
 * The verdict of one probe evaluation, in precedence order (first match wins). Transport-neutral: which HTTP status
 * an outcome answers with is the handler's {@code StatusPolicy} (package {@code io.vigil.health.endpoint}), the one
 * place that maps outcomes to HTTP.
 */
public enum Outcome {
    /** The health machinery itself failed. */
    ERROR,
    /** The license is expired or invalid. */
    LICENSE_INVALID,
    /** A long-running task holds a lock (readiness only). */
    LOCKED,
    /** A required check is DOWN, or the application is starting or draining. */
    DOWN,
    /** An optional check is DOWN, a check is DEGRADED, or the license expires soon. */
    DEGRADED,
    /** Everything is UP. */
    UP;

    /**
     * Whether this outcome passes a probe: the process serves, possibly with reduced function (UP or DEGRADED). The
     * one definition of "passing": the MicroProfile {@code "status": "UP"}, the plain-text "check passed", gRPC's
     * {@code SERVING} and the kubelet-safe guarantee of a status policy all follow it.
     *
     * @return {@code true} for UP and DEGRADED
     */
    public boolean isPassing() {
        return this == UP || this == DEGRADED;
    }
}
