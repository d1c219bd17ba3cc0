package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.jdbc.DataSourceCheck;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Vigil's own checks of what a Spring Boot application has, with nothing but the starter: every
 * {@code javax.sql.DataSource} bean gets a {@link DataSourceCheck} on readiness (check {@code db}; off with
 * {@code vigil.health.db-check=false}), the one standalone Lettuce or Jedis {@code RedisConnectionFactory} (Spring
 * Data Redis) a RESP probe of its server (check {@code redis}; off with {@code vigil.health.redis-check=false}),
 * and the JVM a deadlock check on liveness (check {@code deadlocks}; off with
 * {@code vigil.health.deadlock-check=false}). Neither needs Actuator or {@code spring-boot-health}; where
 * Spring's bridged indicator for the same data source also exists, Vigil's check wins and the bridge skips the
 * indicator. Checks get their policy from {@code vigil.health.checks.<name>.*} like every other.
 */
@AutoConfiguration(after = VigilHealthAutoConfiguration.class)
@ConditionalOnProperty(
        prefix = VigilHealthProperties.PREFIX,
        name = "enabled",
        havingValue = "true",
        matchIfMissing = true)
public class NativeChecksAutoConfiguration {
    /** Created by Spring. */
    public NativeChecksAutoConfiguration() {}

    @Bean
    NativeChecks vigilHealthNativeChecks(
            ListableBeanFactory beans,
            HealthRegistry registry,
            VigilHealthProperties properties,
            ObjectProvider<NativeChecks.Source> sources) {
        return new NativeChecks(
                beans, registry, properties, sources.orderedStream().toList());
    }

    /** Redis, with Spring Data Redis on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.data.redis.connection.RedisConnectionFactory")
    static class Redis {
        @Bean
        NativeChecks.Source vigilHealthRedisCheck(ListableBeanFactory beans, VigilHealthProperties properties) {
            return new RedisNativeCheck(beans, properties);
        }
    }
}
