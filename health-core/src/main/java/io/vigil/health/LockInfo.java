package io.vigil.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A lock held by a long-running task, as listed in reports.
 *
 * @param name        short name, e.g. {@code schema-migration}; always shown
 * @param description what the task does; shown only with details
 * @param since       when the lock was taken
 * @param maxDuration after this the lock is released with a warning; {@code null} for no limit
 */
public record LockInfo(String name, String description, Instant since, Duration maxDuration) {
    /** Validates. */
    public LockInfo {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        Objects.requireNonNull(since, "since");
    }

    /** @return when the lock expires, or {@code null} without a maximum duration */
    public Instant expiresAt() {
        return maxDuration == null ? null : since.plus(maxDuration);
    }
}
