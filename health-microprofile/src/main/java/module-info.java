/**
 * MicroProfile Health checks run unchanged on Vigil's engine: the response provider, the CDI extension and the servlet.
 * The MicroProfile Health API has no module name of its own; it is required under the name derived from its jar.
 */
// microprofile-health-api and microprofile-config-api are automatic modules named after their jars: deliberate
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.microprofile {
    requires transitive io.vigil.health;
    requires transitive io.vigil.health.servlet;
    requires transitive microprofile.health.api;
    // not `static`: a module that provides a service must read the service type's module (the CDI Extension) to
    // resolve at all (docs-check ModuleDescriptorsTest)
    requires jakarta.cdi;
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
