/**
 * Vigil Health core: the API ({@code io.vigil.health}), the extension points ({@code spi}), built-in checks, license
 * verification, the Micrometer binder (optional), the representations, the transport-neutral handler and the one
 * settings specification. The engine ({@code internal}) is not API and exported to no one; only the argument checks
 * ({@code internal.util}) are exported, and only to Vigil's own modules.
 */
// "module": the qualified export names Vigil's modules, compiled after this one; "requires-automatic": micrometer-core
// is an automatic module with a stable Automatic-Module-Name (micrometer.core)
@SuppressWarnings({"module", "requires-automatic"})
module io.vigil.health {
    requires transitive org.slf4j;
    requires com.fasterxml.jackson.core;
    requires java.management;
    requires static micrometer.core;
    requires transitive org.jspecify; // @Nullable is part of the exported API

    exports io.vigil.health;
    exports io.vigil.health.spi;
    exports io.vigil.health.checks;
    exports io.vigil.health.license;
    exports io.vigil.health.micrometer;
    exports io.vigil.health.format;
    exports io.vigil.health.endpoint;
    exports io.vigil.health.config;
    exports io.vigil.health.internal.util to
            io.vigil.health.server,
            io.vigil.health.servlet,
            io.vigil.health.jaxrs,
            io.vigil.health.microprofile,
            io.vigil.health.jdbc,
            io.vigil.health.redis,
            io.vigil.health.http,
            io.vigil.health.grpc,
            io.vigil.health.kafka,
            io.vigil.health.rabbitmq,
            io.vigil.health.jms,
            io.vigil.health.s3,
            io.vigil.health.mail;

    uses io.vigil.health.spi.HealthCheckProvider;
}
