package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.StatusPolicy;
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.servlet.HealthServlet;
import io.vigil.health.test.LogCapture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition and property of the auto-configuration, in application contexts without a server. */
class AutoConfigurationTest {
    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(VigilHealthAutoConfiguration.class));
    private final ApplicationContextRunner plain =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(VigilHealthAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class Checks {
        @Bean
        HealthCheck db() {
            return () -> CheckResult.down("connection refused");
        }

        @Bean
        HealthCheck deadlocks() {
            return CheckResult::up;
        }
    }

    @Test
    void aServletApplicationGetsRegistryHandlerServletAndMetrics() {
        web.run(context -> {
            assertThat(context)
                    .hasSingleBean(HealthRegistry.class)
                    .hasSingleBean(HealthHandler.class)
                    .hasSingleBean(HealthMetrics.class)
                    .hasBean("vigilHealthServlet");
            ServletRegistrationBean<?> servlet = context.getBean("vigilHealthServlet", ServletRegistrationBean.class);
            assertThat(servlet.getServlet()).isInstanceOf(HealthServlet.class);
            assertThat(servlet.getUrlMappings())
                    .containsExactly("/health/*", "/livez", "/readyz", "/healthz", "/$liveness", "/$readiness");
        });
    }

    @Test
    void basePathAndVersionPrefixesDecideTheMappings() {
        web.withPropertyValues("vigil.health.base-path=/ops/health", "vigil.health.version-prefixes=R4,STU3")
                .run(context -> {
                    ServletRegistrationBean<?> servlet =
                            context.getBean("vigilHealthServlet", ServletRegistrationBean.class);
                    assertThat(servlet.getUrlMappings())
                            .contains("/ops/health/*", "/R4/*", "/STU3/*")
                            .doesNotContain("/health/*");
                });
    }

    @Test
    void theStatusPolicyPropertyPicksThePresetOfTheHandler() {
        web.run(context ->
                assertThat(context.getBean(HealthHandler.class).statusPolicy()).isSameAs(StatusPolicy.defaults()));
        web.withPropertyValues("vigil.health.status-policy=kubelet-safe")
                .run(context -> assertThat(context.getBean(HealthHandler.class).statusPolicy())
                        .isSameAs(StatusPolicy.kubeletSafe()));
        web.withPropertyValues("vigil.health.status-policy=consul")
                .run(context -> assertThat(context.getBean(HealthHandler.class).statusPolicy())
                        .isSameAs(StatusPolicy.consul()));
    }

    @Test
    void aNonWebApplicationGetsTheRegistryButNoServlet() {
        plain.run(context -> assertThat(context)
                .hasSingleBean(HealthRegistry.class)
                .doesNotHaveBean(HealthHandler.class)
                .doesNotHaveBean("vigilHealthServlet"));
    }

    @Test
    void disabledConfiguresNothing() {
        web.withPropertyValues("vigil.health.enabled=false")
                .withUserConfiguration(Checks.class)
                .run(context -> assertThat(context)
                        .doesNotHaveBean(HealthRegistry.class)
                        .doesNotHaveBean("vigilHealthServlet")
                        .doesNotHaveBean(HealthMetrics.class));
    }

    @Test
    void withoutTheServletApiOrTheServletAdapterThereIsNoServlet() {
        web.withClassLoader(new FilteredClassLoader(HealthServlet.class))
                .run(context ->
                        assertThat(context).hasSingleBean(HealthRegistry.class).doesNotHaveBean("vigilHealthServlet"));
    }

    @Test
    void withoutMicrometerThereAreNoMetrics() {
        web.withClassLoader(new FilteredClassLoader(MeterBinder.class))
                .run(context ->
                        assertThat(context).hasSingleBean(HealthRegistry.class).doesNotHaveBean(HealthMetrics.class));
    }

    @Test
    void withoutSpringBootHealthThereIsNoBridgeAndWithoutFlywayTheMigrationLockLooksOnlyForLiquibase() {
        web.withClassLoader(new FilteredClassLoader(HealthContributor.class, FlywayMigrationInitializer.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(HealthRegistry.class).doesNotHaveBean(IndicatorBridge.class);
                    assertThat(context.getBean(MigrationLock.class).tools()).containsExactly("Liquibase");
                });
        web.run(context -> {
            assertThat(context).hasSingleBean(IndicatorBridge.class);
            assertThat(context.getBean(MigrationLock.class).tools()).containsExactlyInAnyOrder("Flyway", "Liquibase");
        });
        web.withPropertyValues("vigil.health.bridge-indicators=false", "vigil.health.migration-lock=false")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(IndicatorBridge.class)
                        .doesNotHaveBean(MigrationLock.class));
    }

    @Test
    void healthCheckBeansAreRegisteredUnderTheirBeanNamesWithTheirSettings() {
        web.withUserConfiguration(Checks.class)
                .withPropertyValues(
                        "vigil.health.checks.db.optional=true",
                        "vigil.health.checks.db.groups=core",
                        "vigil.health.checks.deadlocks.probes=liveness")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    registry.markStarted();
                    assertThat(registry.checkNames()).contains("db", "deadlocks");
                    assertThat(registry.hasGroup("core")).isTrue();
                    // db is optional: its DOWN degrades readiness; deadlocks sits on liveness only
                    assertThat(registry.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DEGRADED);
                    assertThat(registry.evaluate(Probe.READINESS).checks())
                            .extracting(c -> c.name())
                            .containsExactly("db");
                    assertThat(registry.evaluate(Probe.LIVENESS).checks())
                            .extracting(c -> c.name())
                            .containsExactly("deadlocks");
                });
    }

    @Test
    void settingsForACheckThatDoesNotExistAreLoggedAsAWarning() {
        try (LogCapture log = LogCapture.of(CheckRegistrar.class.getName())) {
            web.withUserConfiguration(Checks.class)
                    .withPropertyValues("vigil.health.checks.dbb.timeout=2s")
                    .run(context -> assertThat(context).hasNotFailed());
            assertThat(log.lines()).anyMatch(l -> l.contains("no check named dbb") && l.contains("db"));
        }
    }

    @Test
    void withoutSettingsAHealthCheckBeanIsARequiredReadinessCheck() {
        web.withUserConfiguration(Checks.class).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            registry.markStarted();
            assertThat(registry.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        });
    }

    @Test
    void theApplicationsOwnBeansWin() {
        HealthRegistry own = HealthRegistry.builder().build();
        try {
            web.withBean(HealthRegistry.class, () -> own)
                    .withBean(
                            HealthHandler.class,
                            () -> HealthHandler.builder(own).basePath("/own").build())
                    .withBean(HealthMetrics.class, () -> new HealthMetrics(own))
                    .run(context -> {
                        assertThat(context.getBean(HealthRegistry.class)).isSameAs(own);
                        assertThat(context).hasSingleBean(HealthHandler.class).hasSingleBean(HealthMetrics.class);
                    });
            web.withBean("vigilHealthServlet", ServletRegistrationBean.class, ServletRegistrationBean::new)
                    .run(context -> assertThat(context.getBean("vigilHealthServlet", ServletRegistrationBean.class)
                                    .getServlet())
                            .isNull());
        } finally {
            own.close();
        }
    }

    @Test
    void metricsAreBoundToTheApplicationsMeterRegistry() {
        web.withConfiguration(AutoConfigurations.of(
                        MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class))
                .withUserConfiguration(Checks.class)
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    registry.markStarted();
                    registry.evaluate(Probe.READINESS);
                    MeterRegistry meters = context.getBean(MeterRegistry.class);
                    assertThat(meters.find("health.check.status")
                                    .tag("check", "db")
                                    .gauge())
                            .isNotNull();
                    assertThat(meters.get("health.check.status")
                                    .tag("check", "db")
                                    .gauge()
                                    .value())
                            .isZero();
                });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "vigil.health.timeout=-1s|vigil.health.timeout",
                "vigil.health.timeout=soon|vigil.health.timeout",
                "vigil.health.cache-ttl=-5s|vigil.health.cache-ttl",
                "vigil.health.base-path=health/|vigil.health.base-path",
                "vigil.health.details=sometimes|vigil.health.details",
                "vigil.health.port=70000|vigil.health.port",
                "vigil.health.version-prefixes=R4/x|vigil.health.version-prefixes",
                "vigil.health.checks.db.timeout=0s|vigil.health.checks.db.timeout",
                "vigil.health.checks.db.failure-threshold=0|vigil.health.checks.db.failure-threshold",
                "vigil.health.checks.db.breaker-failures=-1|vigil.health.checks.db.breaker-failures",
                "vigil.health.checks.db.groups=no spaces|vigil.health.checks.db.groups",
                "vigil.health.checks.db.probes=sometimes|vigil.health.checks.db.probes",
                "vigil.health.status-policy=haproxy|vigil.health.status-policy",
            })
    void aBadValueFailsStartUpNamingTheProperty(String setting, String property) {
        web.withUserConfiguration(Checks.class).withPropertyValues(setting).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(property);
        });
    }

    @Test
    void aDependencyCheckOnLivenessWithoutOptInFailsStartUpNamingTheCheck() {
        web.withBean(
                        "db",
                        HealthCheck.class,
                        () -> HealthCheck.of(io.vigil.health.CheckKind.DATASTORE, CheckResult::up))
                .withPropertyValues("vigil.health.checks.db.probes=liveness")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(messages(context.getStartupFailure()))
                            .contains("vigil.health.checks.db")
                            .contains("allowOnLiveness");
                });
        web.withBean(
                        "db",
                        HealthCheck.class,
                        () -> HealthCheck.of(io.vigil.health.CheckKind.DATASTORE, CheckResult::up))
                .withPropertyValues(
                        "vigil.health.checks.db.probes=liveness", "vigil.health.checks.db.allow-on-liveness=true")
                .run(context -> assertThat(context).hasNotFailed());
    }

    static String messages(Throwable t) {
        List<String> all = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.add(String.valueOf(c.getMessage()));
        }
        return String.join("\n", all);
    }
}
