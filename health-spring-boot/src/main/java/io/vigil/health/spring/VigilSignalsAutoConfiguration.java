package io.vigil.health.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.health.HealthRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health from numbers in a Spring Boot application: the resource checks of {@code health-signals} behind
 * {@code vigil.health.memory.enabled}, {@code gc}, {@code file-descriptors}, {@code threads}, {@code container} and
 * {@code disk} (all off by default), and, with Micrometer, threshold checks on the meters of the application's
 * {@code MeterRegistry} declared under {@code vigil.health.meters.<name>.*}. Each is registered under its name with
 * the policy of {@code vigil.health.checks.<name>.*} over its own default probes (memory and GC on liveness and
 * readiness, the others on readiness). Off with {@code vigil.health.enabled=false}.
 */
@AutoConfiguration(after = VigilHealthAutoConfiguration.class)
@ConditionalOnProperty(
        prefix = VigilHealthProperties.PREFIX,
        name = "enabled",
        havingValue = "true",
        matchIfMissing = true)
@ConditionalOnBean(HealthRegistry.class)
@EnableConfigurationProperties(VigilSignalsProperties.class)
public class VigilSignalsAutoConfiguration {

    /** Created by Spring. */
    public VigilSignalsAutoConfiguration() {}

    @Bean
    SignalsRegistrar vigilHealthSignalsRegistrar(
            HealthRegistry registry, VigilHealthProperties health, VigilSignalsProperties signals) {
        return new SignalsRegistrar(registry, health, signals);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Meters {
        @Bean
        MeterThresholds vigilHealthMeterThresholds(
                HealthRegistry registry,
                VigilHealthProperties health,
                VigilSignalsProperties signals,
                ObjectProvider<MeterRegistry> meters) {
            return new MeterThresholds(registry, health, signals, meters);
        }
    }
}
