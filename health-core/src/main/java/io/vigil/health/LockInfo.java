package io.vigil.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A lock held by a long-running task, as listed in reports. Immutable; made with {@link #of(String, Instant)},
 * completed with {@code with…} copiers.
 */
public final class LockInfo {
    private final String name;
    private final String description;
    private final Instant since;
    private final @Nullable Duration maxDuration;

    private LockInfo(String name, @Nullable String description, Instant since, @Nullable Duration maxDuration) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = description == null ? "" : description;
        this.since = Objects.requireNonNull(since, "since");
        this.maxDuration = maxDuration;
    }

    /**
     * @param name  short name, e.g. {@code schema-migration}; always shown
     * @param since when the lock was taken
     * @return a lock without description and without maximum duration
     */
    public static LockInfo of(String name, Instant since) {
        return new LockInfo(name, "", since, null);
    }

    /** @return the short name, e.g. {@code schema-migration}; always shown */
    public String name() {
        return name;
    }

    /** @return what the task does, never {@code null}; shown only with details */
    public String description() {
        return description;
    }

    /** @return when the lock was taken */
    public Instant since() {
        return since;
    }

    /** @return after this the lock is released with a warning; {@code null} for no limit */
    public @Nullable Duration maxDuration() {
        return maxDuration;
    }

    /** @return when the lock expires, or {@code null} without a maximum duration */
    public @Nullable Instant expiresAt() {
        return maxDuration == null ? null : since.plus(maxDuration);
    }

    /**
     * @param value what the task does; {@code null} means none
     * @return a copy with that description
     */
    public LockInfo withDescription(@Nullable String value) {
        return new LockInfo(name, value, since, maxDuration);
    }

    /**
     * @param value the maximum duration; {@code null} for no limit
     * @return a copy with that limit
     */
    public LockInfo withMaxDuration(@Nullable Duration value) {
        return new LockInfo(name, description, since, value);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LockInfo l
                && l.name.equals(name)
                && l.description.equals(description)
                && l.since.equals(since)
                && Objects.equals(l.maxDuration, maxDuration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, description, since, maxDuration);
    }

    /** @return every field, record-style */
    @Override
    public String toString() {
        return "LockInfo[name=" + name + ", description=" + description + ", since=" + since + ", maxDuration="
                + maxDuration + "]";
    }
}
