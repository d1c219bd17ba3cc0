package io.vigil.health;

/** The verdict of one probe evaluation, in precedence order (first match wins). */
public enum Outcome {
    /** The health machinery itself failed. */
    ERROR(500),
    /** The license is expired or invalid. */
    LICENSE_INVALID(402),
    /** A long-running task holds a lock (readiness only). */
    LOCKED(423),
    /** A required check is DOWN, or the application is starting or draining. */
    DOWN(503),
    /** An optional check is DOWN, a check is DEGRADED, or the license expires soon. */
    DEGRADED(200),
    /** Everything is UP. */
    UP(200);

    private final int httpStatus;

    Outcome(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /**
     * @return the HTTP status of the default table ({@code StatusPolicy.defaults()}); a handler configured with
     *         another {@code StatusPolicy} may answer differently
     */
    public int httpStatus() {
        return httpStatus;
    }

    /** @return {@code true} when the HTTP status is 200 */
    public boolean isHealthy() {
        return httpStatus == 200;
    }
}
