package io.vigil.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The immutable result of evaluating one probe.
 *
 * @param scope      what was evaluated: {@code liveness}, {@code readiness}, {@code startup}, {@code all} or
 *                   {@code group:<name>}
 * @param outcome    the verdict
 * @param checks     per-check entries, in registration order
 * @param locks      locks held (listed on every probe, counted only where they apply)
 * @param license    the license state, or {@code null} when no license check is configured
 * @param issues     OperationOutcome issues, one per non-UP condition (one informational issue when all is UP)
 * @param retryAfter a sensible {@code Retry-After} for 423/503, or {@code null}
 * @param timestamp  when the report was made
 */
public record HealthReport(String scope, Outcome outcome, List<CheckStatus> checks, List<LockInfo> locks,
                           LicenseState license, List<Issue> issues, Duration retryAfter, Instant timestamp) {
    /** Validates and copies. */
    public HealthReport {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(outcome, "outcome");
        checks = List.copyOf(checks);
        locks = List.copyOf(locks);
        issues = List.copyOf(issues);
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** @return the HTTP status: 200, 402, 423, 503 or 500 */
    public int httpStatus() {
        return outcome.httpStatus();
    }

    /** @return {@code "UP"} when the HTTP status is 200, {@code "DOWN"} otherwise (MicroProfile semantics) */
    public String topLevelStatus() {
        return outcome.isHealthy() ? "UP" : "DOWN";
    }
}
