package io.vigil.health.spring;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.servlet.HealthServlet;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Vigil Health in a Spring Boot application; every bean backs off when the application
 * declares its own. It provides:
 * <ul>
 *   <li>a {@link HealthRegistry} (or takes the one of the {@link EarlyHealthServer} on {@code vigil.health.port});
 *       every {@link io.vigil.health.HealthCheck} bean is registered under its bean name with the policy of
 *       {@code vigil.health.checks.<name>.*};</li>
 *   <li>in a servlet web application, a {@link HealthHandler} and the {@link HealthServlet} mounted at the
 *       handler's own {@link HealthHandler#mountPatterns() patterns}: {@code vigil.health.base-path} (default
 *       {@code /health}), the mount-root aliases, the path aliases and the version prefixes;</li>
 *   <li>with Micrometer, {@link HealthMetrics} (bound by Spring Boot to the application's meter registries);</li>
 *   <li>with Spring Boot's health API, every {@code HealthIndicator} as a Vigil check
 *       ({@code vigil.health.bridge-indicators});</li>
 *   <li>with Flyway or Liquibase, migrations under the {@code schema-migration} lock
 *       ({@code vigil.health.migration-lock});</li>
 *   <li>the lifecycle: started on {@code ApplicationReadyEvent}, draining on close before the web server stops,
 *       Spring's availability states mirrored both ways;</li>
 *   <li>with Actuator and {@code vigil.health.actuator=true}, Actuator's liveness and readiness groups answered
 *       from Vigil's probes.</li>
 * </ul>
 * Off with {@code vigil.health.enabled=false}.
 */
@AutoConfiguration(beforeName = VigilHealthAutoConfiguration.ACTUATOR_PROBES)
@ConditionalOnProperty(
        prefix = VigilHealthProperties.PREFIX,
        name = "enabled",
        havingValue = "true",
        matchIfMissing = true)
@EnableConfigurationProperties(VigilHealthProperties.class)
public class VigilHealthAutoConfiguration {
    /** Actuator's auto-configuration of the liveness and readiness groups, whose indicators ours replace. */
    static final String ACTUATOR_PROBES =
            "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration";

    /** Created by Spring. */
    public VigilHealthAutoConfiguration() {}

    @Bean(name = Registries.REGISTRY_BEAN, destroyMethod = "close")
    @ConditionalOnMissingBean
    HealthRegistry vigilHealthRegistry() {
        return Registries.registry();
    }

    @Bean
    CheckRegistrar vigilHealthCheckRegistrar(
            ListableBeanFactory beans, HealthRegistry registry, VigilHealthProperties properties) {
        return new CheckRegistrar(beans, registry, properties);
    }

    @Bean
    AvailabilityMirror vigilHealthAvailabilityMirror(
            HealthRegistry registry, ApplicationContext context, ObjectProvider<ApplicationAvailability> availability) {
        return new AvailabilityMirror(registry, context, availability.getIfAvailable());
    }

    @Bean
    DrainDelay vigilHealthDrainDelay(HealthRegistry registry, VigilHealthProperties properties) {
        return new DrainDelay(registry, properties.getDrainDelay());
    }

    /** The health servlet on the application's own servlet container. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({HealthServlet.class, ServletRegistrationBean.class, HttpServletRequest.class})
    static class ServletEndpoint {

        @Bean
        @ConditionalOnMissingBean
        HealthHandler vigilHealthHandler(HealthRegistry registry, Environment environment) {
            return Registries.handler(registry, environment);
        }

        @Bean
        @ConditionalOnMissingBean(name = "vigilHealthServlet")
        ServletRegistrationBean<HealthServlet> vigilHealthServlet(
                HealthHandler handler,
                VigilHealthProperties properties,
                ObjectProvider<HealthDetailsAuthorizer> authorizers) {
            HealthServlet.Builder servlet = HealthServlet.builder(handler);
            if (properties.getDetailsRole() != null
                    && !properties.getDetailsRole().isBlank()) {
                servlet.role(properties.getDetailsRole());
            }
            HealthDetailsAuthorizer authorizer = authorizers.getIfUnique();
            if (authorizer != null) {
                servlet.authorizer(authorizer::isAuthorized);
            }
            ServletRegistrationBean<HealthServlet> registration = new ServletRegistrationBean<>(
                    servlet.build(), handler.mountPatterns().toArray(String[]::new));
            registration.setName("vigilHealthServlet");
            registration.setLoadOnStartup(1);
            return registration;
        }
    }

    /** Health metrics; Spring Boot binds every {@link MeterBinder} bean to its meter registries. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean
        HealthMetrics vigilHealthMetrics(HealthRegistry registry) {
            return new HealthMetrics(registry);
        }
    }

    /** Spring Boot's health indicators as Vigil checks. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthContributor.class)
    @ConditionalOnProperty(
            prefix = VigilHealthProperties.PREFIX,
            name = "bridge-indicators",
            havingValue = "true",
            matchIfMissing = true)
    static class Bridge {
        @Bean
        IndicatorBridge vigilHealthIndicatorBridge(
                ListableBeanFactory beans,
                HealthRegistry registry,
                VigilHealthProperties properties,
                ObjectProvider<NativeChecks> natives) {
            NativeChecks n = natives.getIfAvailable();
            // one rule: a name a native check claims, or replaces (the broker checks), is not bridged
            return new IndicatorBridge(
                    beans,
                    registry,
                    properties,
                    name -> (n != null && n.claims(name))
                            || beans.getBeansOfType(IndicatorBridge.Replaced.class).values().stream()
                                    .anyMatch(r -> r.name().equals(name)));
        }
    }

    /** Actuator's {@code /actuator/health/liveness|readiness} answered from Vigil's probes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(
            value = HealthContributor.class,
            name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
    @ConditionalOnProperty(prefix = VigilHealthProperties.PREFIX, name = "actuator", havingValue = "true")
    static class ActuatorProbes {
        @Bean(name = "livenessStateHealthIndicator")
        ActuatorProbeIndicator vigilLivenessStateHealthIndicator(HealthRegistry registry) {
            return new ActuatorProbeIndicator(registry, Probe.LIVENESS);
        }

        @Bean(name = "readinessStateHealthIndicator")
        ActuatorProbeIndicator vigilReadinessStateHealthIndicator(HealthRegistry registry) {
            return new ActuatorProbeIndicator(registry, Probe.READINESS);
        }
    }

    /** Flyway and Liquibase migrations under the {@code schema-migration} lock. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(
            prefix = VigilHealthProperties.PREFIX,
            name = "migration-lock",
            havingValue = "true",
            matchIfMissing = true)
    static class Migrations {
        @Bean
        static MigrationLock vigilHealthMigrationLock(
                ObjectProvider<HealthRegistry> registry, ObjectProvider<VigilHealthProperties> properties) {
            return new MigrationLock(registry, properties);
        }
    }
}
