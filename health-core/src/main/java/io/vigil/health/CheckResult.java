package io.vigil.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a check found: a status, a short message, a small map of data and an optional error.
 * Immutable; build with the factories ({@link #up()}, {@link #down(String)}, {@link #of(Status, String)}, ...) and
 * the {@code withX} methods, so that a field added later breaks no caller. Thread-safe.
 */
public final class CheckResult {
    private final Status status;
    private final String message;
    private final Map<String, Object> data;
    private final @Nullable Throwable error;

    private CheckResult(
            Status status, @Nullable String message, @Nullable Map<String, ?> data, @Nullable Throwable error) {
        this.status = Objects.requireNonNull(status, "status");
        this.message = message == null ? "" : message;
        if (data == null || data.isEmpty()) {
            this.data = Map.of();
        } else {
            Map<String, Object> copy = new LinkedHashMap<>();
            data.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "data key"), normalize(v)));
            this.data = Collections.unmodifiableMap(copy);
        }
        this.error = error;
    }

    /** @return UP, DEGRADED or DOWN */
    public Status status() {
        return status;
    }

    /** @return a short human sentence, may be empty; shown only to callers allowed to see details */
    public String message() {
        return message;
    }

    /**
     * @return values of type String, Number or Boolean (others are stored as their {@code toString()}), in insertion
     *     order; shown only to callers allowed to see details
     */
    public Map<String, Object> data() {
        return data;
    }

    /** @return the failure behind a DOWN, or {@code null}; never serialised, logged at DEBUG */
    public @Nullable Throwable error() {
        return error;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof CheckResult r
                && r.status == status
                && r.message.equals(message)
                && r.data.equals(data)
                && Objects.equals(r.error, error);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, message, data, error);
    }

    @Override
    public String toString() {
        return "CheckResult[status=" + status + ", message=" + message + ", data=" + data + ", error=" + error + "]";
    }

    private static CheckResult make(
            Status status, @Nullable String message, Map<String, ?> data, @Nullable Throwable error) {
        return new CheckResult(status, message, data, error);
    }

    private static Object normalize(@Nullable Object v) {
        if (v == null) {
            return "null";
        }
        return v instanceof Number || v instanceof Boolean || v instanceof String ? v : v.toString();
    }

    /** Immutable and equal to any other plain UP: shared, so the commonest result allocates nothing. */
    private static final CheckResult UP = make(Status.UP, "", Map.of(), null);

    /** @return an UP result without message */
    public static CheckResult up() {
        return UP;
    }

    /**
     * @param message short sentence
     * @return an UP result
     */
    public static CheckResult up(String message) {
        return make(Status.UP, message, Map.of(), null);
    }

    /**
     * @param message what is impaired
     * @return a DEGRADED result
     */
    public static CheckResult degraded(String message) {
        return make(Status.DEGRADED, message, Map.of(), null);
    }

    /**
     * @param message what is wrong
     * @return a DOWN result
     */
    public static CheckResult down(String message) {
        return make(Status.DOWN, message, Map.of(), null);
    }

    /**
     * @param error the failure; its type and redacted message become the message
     * @return a DOWN result carrying the error
     */
    public static CheckResult down(Throwable error) {
        Objects.requireNonNull(error, "error");
        return make(Status.DOWN, Secrets.describe(error), Map.of(), error);
    }

    /**
     * @param status the status
     * @param message the message; {@code null} (e.g. an exception without one) is no message, {@code ""}
     * @return a result with that status and message
     */
    public static CheckResult of(Status status, @Nullable String message) {
        return make(status, message, Map.of(), null);
    }

    /**
     * @param key   data key
     * @param value a String, Number or Boolean
     * @return a copy with that entry added or replaced
     */
    public CheckResult withData(String key, @Nullable Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(data);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return make(status, message, copy, error);
    }

    /**
     * @param entries entries to add or replace
     * @return a copy with those entries
     */
    public CheckResult withData(Map<String, ?> entries) {
        Map<String, Object> copy = new LinkedHashMap<>(data);
        copy.putAll(entries);
        return make(status, message, copy, error);
    }

    /**
     * @param newError the failure behind this result, or {@code null}; never serialised, logged at DEBUG
     * @return a copy with that error
     */
    public CheckResult withError(@Nullable Throwable newError) {
        return make(status, message, data, newError);
    }

    /**
     * @param newMessage the message
     * @return a copy with that message
     */
    public CheckResult withMessage(String newMessage) {
        return make(status, newMessage, data, error);
    }
}
