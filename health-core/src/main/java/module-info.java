/**
 * Vigil Health core: the API ({@code io.vigil.health}), the extension points ({@code spi}), built-in checks, license
 * verification, the Micrometer binder (optional), the representations, the transport-neutral handler and the one
 * settings specification. The engine ({@code internal}) is not API: exported only to Vigil's own modules, for the
 * shared argument checks.
 */
module io.vigil.health {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.core;
    requires java.management;
    requires static micrometer.core;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health;
    exports io.vigil.health.spi;
    exports io.vigil.health.checks;
    exports io.vigil.health.license;
    exports io.vigil.health.micrometer;
    exports io.vigil.health.format;
    exports io.vigil.health.endpoint;
    exports io.vigil.health.config;
    exports io.vigil.health.internal to
            io.vigil.health.server,
            io.vigil.health.servlet,
            io.vigil.health.jaxrs,
            io.vigil.health.microprofile;

    uses io.vigil.health.spi.HealthCheckProvider;
}
