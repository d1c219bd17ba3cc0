package io.vigil.health.signals;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which meters of a {@code MeterRegistry} a {@link MeterCheck} reads: a name and the tags they must carry (other
 * tags are allowed). Several meters may match (every {@code uri} of {@code http.server.requests}): their counts are
 * added, their histograms merged. Immutable; names no Micrometer type, so that it loads without Micrometer.
 *
 * @param name the meter name, e.g. {@code http.server.requests}
 * @param tags tag key to required value, in the order given
 */
public record MeterQuery(String name, Map<String, String> tags) {

    /** Validates and copies. */
    public MeterQuery {
        if (Objects.requireNonNull(name, "name").isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(tags, "tags")
                .forEach((k, v) ->
                        copy.put(Objects.requireNonNull(k, "tag key"), Objects.requireNonNull(v, "tag value")));
        tags = Collections.unmodifiableMap(copy);
    }

    /**
     * @param name          the meter name
     * @param keysAndValues tag keys and values, alternating: {@code "outcome", "SERVER_ERROR"}
     * @return the query
     * @throws IllegalArgumentException if the name is blank or a key has no value
     */
    public static MeterQuery of(String name, String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags come in key/value pairs: " + keysAndValues.length + " strings");
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            tags.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new MeterQuery(name, tags);
    }

    /** @return {@code name{k=v,...}}, as shown in messages */
    @Override
    public String toString() {
        if (tags.isEmpty()) {
            return name;
        }
        StringBuilder s = new StringBuilder(name).append('{');
        tags.forEach((k, v) -> s.append(k).append('=').append(v).append(','));
        s.setCharAt(s.length() - 1, '}');
        return s.toString();
    }
}
