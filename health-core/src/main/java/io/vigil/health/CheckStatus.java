package io.vigil.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One check's entry in a {@link HealthReport}: the engine's view of the check after timeouts, caching, flap
 * damping and the circuit breaker.
 *
 * @param name        registered name
 * @param status      the reported status (after flap damping)
 * @param criticality REQUIRED or OPTIONAL
 * @param kind        what the check looks at
 * @param cause       why it has this status
 * @param message     redacted message; details only
 * @param data        check data; details only
 * @param duration    how long the evaluation behind this result took
 * @param cached      whether the result was reused rather than computed for this request
 * @param checkedAt   when the result was produced, or {@code null} if never
 * @param breaker     the circuit breaker's state
 * @param retryAfter  when a retry makes sense (open breaker), or {@code null}
 */
public record CheckStatus(String name, Status status, Criticality criticality, CheckKind kind, Cause cause,
                          String message, Map<String, Object> data, Duration duration, boolean cached,
                          Instant checkedAt, BreakerState breaker, Duration retryAfter) {

    /** Validates and copies. */
    public CheckStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(criticality, "criticality");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(cause, "cause");
        message = message == null ? "" : message;
        data = data == null ? Map.of() : data; // already an unmodifiable copy when it comes from CheckResult
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(breaker, "breaker");
    }

    /** @return whether this check fails its probe (REQUIRED and DOWN) */
    public boolean failsProbe() {
        return status == Status.DOWN && criticality == Criticality.REQUIRED;
    }

    /** @return the same entry marked as served from cache */
    public CheckStatus asCached() {
        return cached ? this : new CheckStatus(name, status, criticality, kind, cause, message, data, duration, true,
                checkedAt, breaker, retryAfter);
    }
}
