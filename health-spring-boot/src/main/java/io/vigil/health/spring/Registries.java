package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.HealthHandler;

/** The registry and handler the starter builds, whether early (before refresh) or as beans. */
final class Registries {
    /** Bean name of the registry, also when the early server registered it before the refresh. */
    static final String REGISTRY_BEAN = "vigilHealthRegistry";

    private Registries() {
    }

    /**
     * The application marks itself started on {@code ApplicationReadyEvent}, never because a startup probe found
     * no startup checks to fail: that would report "started" in the middle of a migration.
     */
    static HealthRegistry registry() {
        return HealthRegistry.builder().startupChecksMarkStarted(false).build();
    }

    static HealthHandler handler(HealthRegistry registry, VigilHealthProperties properties) {
        return HealthHandler.builder(registry).basePath(properties.getBasePath())
                .versionPrefixes(properties.getVersionPrefixes().toArray(String[]::new))
                .details(properties.getDetails()).strictMicroProfile(properties.isStrictMicroprofile())
                .operatorControl(properties.isOperatorControl())
                .statusPolicy(properties.getStatusPolicy().policy()).build();
    }
}
