package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.HealthHandler;
import java.util.Optional;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/** The registry and handler the starter builds, whether early (before refresh) or as beans. */
final class Registries {
    /** Bean name of the registry, also when the early server registered it before the refresh. */
    static final String REGISTRY_BEAN = "vigilHealthRegistry";

    private Registries() {}

    /**
     * The application marks itself started on {@code ApplicationReadyEvent}, never because a startup probe found
     * no startup checks to fail: that would report "started" in the middle of a migration.
     */
    static HealthRegistry registry() {
        return HealthRegistry.builder().startupChecksMarkStarted(false).build();
    }

    /**
     * The handler, from the one settings specification: Spring only supplies the lookup. The {@link Binder} reads
     * each {@code vigil.health.<key>} with Spring's relaxed binding, a YAML list or a comma-separated value alike.
     *
     * @throws IllegalStateException for an invalid setting, naming the property
     */
    static HealthHandler handler(HealthRegistry registry, Environment environment) {
        return settings(environment).handler(registry);
    }

    static HealthSettings settings(Environment environment) {
        Binder binder = Binder.get(environment);
        try {
            return HealthSettings.read(key -> binder.bind(HealthSettings.PREFIX + key, String[].class)
                    .map(values -> String.join(",", values))
                    .map(Optional::of)
                    .orElse(Optional.empty()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("invalid health setting " + HealthSettings.PREFIX + e.getMessage(), e);
        }
    }
}
