package io.vigil.health;

/** State of a check's circuit breaker; {@link #gaugeValue()} is what the metric exports. */
public enum BreakerState {
    /** Calls flow normally. */
    CLOSED(0),
    /** The backoff has elapsed; one trial call decides whether to close or re-open. */
    HALF_OPEN(1),
    /** Too many consecutive failures; the dependency is not called until the backoff elapses. */
    OPEN(2);

    private final int gaugeValue;

    BreakerState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** @return 0 closed, 1 half-open, 2 open */
    public int gaugeValue() {
        return gaugeValue;
    }
}
