/**
 * MicroProfile Health checks run unchanged on Vigil's engine: the response provider, the CDI extension and the servlet.
 * The MicroProfile Health API has no module name of its own; it is required under the name derived from its jar.
 */
module io.vigil.health.microprofile {
    requires transitive io.vigil.health;
    requires transitive io.vigil.health.servlet;
    requires transitive microprofile.health.api;
    requires static jakarta.cdi;
    requires static jakarta.inject;
    requires static microprofile.config.api;
    requires org.slf4j;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.microprofile;
    // CDI containers (Weld) proxy and inject the extension's beans reflectively
    opens io.vigil.health.microprofile;

    provides org.eclipse.microprofile.health.spi.HealthCheckResponseProvider with
            io.vigil.health.microprofile.VigilHealthCheckResponseProvider;
    provides jakarta.servlet.ServletContainerInitializer with
            io.vigil.health.microprofile.MicroProfileHealthInitializer;
    provides jakarta.enterprise.inject.spi.Extension with
            io.vigil.health.microprofile.MicroProfileHealthExtension;
}
