package io.vigil.health;

/** The state a check reports. */
public enum Status {
    /** Working as expected. */
    UP,
    /** Working, but impaired (slow, nearly full, a replica lagging); the probe still answers 200. */
    DEGRADED,
    /** Not working. */
    DOWN;

    /** @return {@code true} for {@link #UP} and {@link #DEGRADED} */
    public boolean isOperational() {
        return this != DOWN;
    }
}
