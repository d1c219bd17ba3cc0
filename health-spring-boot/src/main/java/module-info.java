/**
 * The Spring Boot starter: auto-configuration of a registry, the endpoints, the native checks and the bridges to Spring
 * Boot's availability, health contributors, Micrometer and migrations.
 *
 * <p>Spring finds the auto-configurations by name ({@code META-INF/spring/...AutoConfiguration.imports}) and reads
 * their class files as resources ({@code .class} resources are never encapsulated); it instantiates them, calls their
 * {@code @Bean} methods and binds {@code @ConfigurationProperties} by reflection, making non-public constructors,
 * methods and nested classes accessible ({@code ReflectionUtils.makeAccessible} in spring.core, {@code BeanUtils} in
 * spring.beans, the configuration class post-processing in spring.context, the {@code Binder} in spring.boot). So the
 * package is exported (the properties types, {@code HealthDetailsAuthorizer} and the auto-configurations are what an
 * application refers to) and opened, for deep reflection, to those four Spring modules only. Without the {@code opens},
 * a context of the five auto-configurations on a module path fails with {@code InaccessibleObjectException} ("does not
 * opens io.vigil.health.spring to module spring.core", a package-private {@code @Bean} method): docs-check's
 * {@code ModuleDescriptorsTest} starts one.
 *
 * <p>On a module path the Servlet API is needed even by an application without a web server: health-servlet, which
 * the starter requires, requires it.
 */
// Spring's jars are automatic modules with stable Automatic-Module-Names (spring.boot, spring.core, ...). Flyway and
// Liquibase are named only as strings (MigrationLock), never required. The optional integrations are `static`: the
// auto-configuration is conditional on their classes.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.spring {
    requires transitive io.vigil.health;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    requires transitive spring.beans;
    requires transitive spring.core;
    requires io.vigil.health.server;
    requires io.vigil.health.servlet;
    requires io.vigil.health.jdbc;
    requires io.vigil.health.redis;
    requires io.vigil.health.signals;
    requires org.slf4j;
    requires java.sql;

    // in the API: HealthDetailsAuthorizer takes the servlet request, VigilStorageProperties holds a BucketProbe
    requires static transitive jakarta.servlet;
    requires static transitive io.vigil.health.s3;
    requires static spring.boot.health;
    requires static micrometer.core;
    requires static spring.data.redis;
    requires static io.vigil.health.mail;
    requires static software.amazon.awssdk.services.s3;
    requires static io.vigil.health.kafka;
    requires static io.vigil.health.rabbitmq;
    requires static io.vigil.health.jms;
    requires static kafka.clients;
    requires static spring.kafka;
    requires static com.rabbitmq.client;
    requires static spring.rabbit;
    requires static jakarta.messaging;

    exports io.vigil.health.spring;

    opens io.vigil.health.spring to
            spring.core,
            spring.beans,
            spring.context,
            spring.boot;
}
