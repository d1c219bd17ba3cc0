package io.vigil.health.microprofile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The builder behind {@link VigilHealthCheckResponseProvider}. A response without an explicit status is DOWN: a
 * check that forgot to say it is fine is not reported as fine. Data keeps insertion order; a repeated key keeps
 * its last value. Not thread-safe (one builder per response).
 */
final class ResponseBuilder extends HealthCheckResponseBuilder {
    private @Nullable String name;
    private HealthCheckResponse.Status status = HealthCheckResponse.Status.DOWN;
    private @Nullable Map<String, Object> data;

    @Override
    public HealthCheckResponseBuilder name(String value) {
        name = Objects.requireNonNull(value, "name");
        return this;
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, String value) {
        return put(key, value);
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, long value) {
        return put(key, value);
    }

    @Override
    public HealthCheckResponseBuilder withData(String key, boolean value) {
        return put(key, value);
    }

    private HealthCheckResponseBuilder put(String key, Object value) {
        Objects.requireNonNull(key, "key");
        if (data == null) {
            data = new LinkedHashMap<>();
        }
        data.put(key, value);
        return this;
    }

    @Override
    public HealthCheckResponseBuilder up() {
        status = HealthCheckResponse.Status.UP;
        return this;
    }

    @Override
    public HealthCheckResponseBuilder down() {
        status = HealthCheckResponse.Status.DOWN;
        return this;
    }

    @Override
    public HealthCheckResponseBuilder status(boolean up) {
        status = up ? HealthCheckResponse.Status.UP : HealthCheckResponse.Status.DOWN;
        return this;
    }

    /**
     * @return the response
     * @throws IllegalArgumentException if no name or a blank one was given
     */
    @Override
    public HealthCheckResponse build() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a MicroProfile health check response needs a name");
        }
        Optional<Map<String, Object>> d = data == null
                ? Optional.empty()
                : Optional.of(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(data)));
        return new HealthCheckResponse(name, status, d);
    }
}
