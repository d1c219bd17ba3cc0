package io.vigil.health;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's decision to take this instance out of rotation without stopping it
 * ({@link HealthRegistry#outOfService(String, String)}): readiness, the base path and groups answer 503 with an
 * issue naming the reason, who and since when; liveness and startup are not affected. Kept in memory only: a
 * restarted process is back in service. Immutable.
 *
 * @param reason why, as the operator said it (shown in every answer, so never a secret); 1 to
 *               {@value #MAX_LENGTH} characters, no control characters
 * @param by     who took the decision, as the caller said it ({@code "operator"} when not said); same limits
 * @param since  when the instance went out of service (wall clock, shown only)
 */
public record OutOfService(String reason, String by, Instant since) {
    /** Longest accepted reason or name. */
    public static final int MAX_LENGTH = 200;

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the reason or name is blank, too long or contains control characters
     */
    public OutOfService {
        reason = text(reason, "reason");
        by = text(by, "by");
        Objects.requireNonNull(since, "since");
    }

    /** @return {@code "Out of service since 2026-01-15T10:42:07Z (reason), by alice"} */
    public String describe() {
        return "Out of service since " + since.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (" + reason
                + "), by " + by;
    }

    /**
     * @param value a reason or name as a caller gave it
     * @param what  which, for the message
     * @return the value, trimmed
     * @throws IllegalArgumentException if blank, longer than {@value #MAX_LENGTH} or with control characters
     */
    static String text(String value, String what) {
        Objects.requireNonNull(value, what);
        String v = value.strip();
        if (v.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        if (v.length() > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_LENGTH + " characters");
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(what + " must not contain control characters");
        }
        return Secrets.redact(v); // shown to every caller: a pasted credential never is
    }
}
