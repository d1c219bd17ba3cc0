package io.vigil.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a check found: a status, a short message, a small map of data and an optional error.
 * Immutable; build with the factories and {@link #withData(String, Object)}.
 *
 * @param status  UP, DEGRADED or DOWN
 * @param message a short human sentence, may be empty; shown only to callers allowed to see details
 * @param data    values of type String, Number or Boolean (others are stored as their {@code toString()}),
 *                in insertion order; shown only to callers allowed to see details
 * @param error   the failure behind a DOWN, or {@code null}; never serialised, logged at DEBUG
 */
public record CheckResult(Status status, String message, Map<String, Object> data, Throwable error) {

    /** Validates and copies. */
    public CheckResult {
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
        if (data == null || data.isEmpty()) {
            data = Map.of();
        } else {
            Map<String, Object> copy = new LinkedHashMap<>();
            data.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "data key"), normalize(v)));
            data = Collections.unmodifiableMap(copy);
        }
    }

    private static Object normalize(Object v) {
        if (v == null) {
            return "null";
        }
        return v instanceof Number || v instanceof Boolean || v instanceof String ? v : v.toString();
    }

    /** Immutable and equal to any other plain UP: shared, so the commonest result allocates nothing. */
    private static final CheckResult UP = new CheckResult(Status.UP, "", Map.of(), null);

    /** @return an UP result without message */
    public static CheckResult up() {
        return UP;
    }

    /**
     * @param message short sentence
     * @return an UP result
     */
    public static CheckResult up(String message) {
        return new CheckResult(Status.UP, message, Map.of(), null);
    }

    /**
     * @param message what is impaired
     * @return a DEGRADED result
     */
    public static CheckResult degraded(String message) {
        return new CheckResult(Status.DEGRADED, message, Map.of(), null);
    }

    /**
     * @param message what is wrong
     * @return a DOWN result
     */
    public static CheckResult down(String message) {
        return new CheckResult(Status.DOWN, message, Map.of(), null);
    }

    /**
     * @param error the failure; its type and redacted message become the message
     * @return a DOWN result carrying the error
     */
    public static CheckResult down(Throwable error) {
        Objects.requireNonNull(error, "error");
        return new CheckResult(Status.DOWN, Secrets.describe(error), Map.of(), error);
    }

    /**
     * @param status the status
     * @param message the message
     * @return a result with that status and message
     */
    public static CheckResult of(Status status, String message) {
        return new CheckResult(status, message, Map.of(), null);
    }

    /**
     * @param key   data key
     * @param value a String, Number or Boolean
     * @return a copy with that entry added or replaced
     */
    public CheckResult withData(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(data);
        copy.put(Objects.requireNonNull(key, "key"), value);
        return new CheckResult(status, message, copy, error);
    }

    /**
     * @param entries entries to add or replace
     * @return a copy with those entries
     */
    public CheckResult withData(Map<String, ?> entries) {
        Map<String, Object> copy = new LinkedHashMap<>(data);
        copy.putAll(entries);
        return new CheckResult(status, message, copy, error);
    }

    /**
     * @param newMessage the message
     * @return a copy with that message
     */
    public CheckResult withMessage(String newMessage) {
        return new CheckResult(status, newMessage, data, error);
    }
}
