package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckEntry;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.EmbeddedRedis;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The application's Spring Data Redis connection factory gets Vigil's Redis check, against a real Redis server that
 * the test starts and stops.
 */
class RedisNativeCheckTest {
    private static final String PASSWORD = "s3cret-redis-pw";

    private final ApplicationContextRunner app = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(VigilHealthAutoConfiguration.class, NativeChecksAutoConfiguration.class))
            .withPropertyValues("vigil.health.cache-ttl=0", "vigil.health.timeout=2s");

    private static LettuceConnectionFactory factory(EmbeddedRedis redis) {
        RedisStandaloneConfiguration c = new RedisStandaloneConfiguration("127.0.0.1", redis.port());
        c.setPassword(PASSWORD);
        c.setDatabase(2);
        return new LettuceConnectionFactory(c);
    }

    private static CheckEntry redis(HealthRegistry registry) {
        return registry.evaluate(Probe.READINESS).checks().stream()
                .filter(c -> c.name().equals("redis"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check redis in " + registry.checkNames()));
    }

    @Test
    void aLettuceConnectionFactoryIsCheckedOnReadinessAndItsServerGoingAwayIsDown() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass(PASSWORD).start()) {
            app.withBean("redisConnectionFactory", LettuceConnectionFactory.class, () -> factory(redis))
                    .run(context -> {
                        HealthRegistry registry = context.getBean(HealthRegistry.class);
                        registry.markStarted();
                        CheckEntry up = redis(registry);
                        assertThat(up.status()).as(String.valueOf(up)).isEqualTo(Status.UP);
                        redis.stop();
                        CheckEntry down = redis(registry);
                        assertThat(down.status()).isEqualTo(Status.DOWN);
                        assertThat(String.valueOf(down)).doesNotContain(PASSWORD);
                    });
        }
    }

    @Test
    void springsRedisIndicatorGivesWayToVigilsCheck() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass(PASSWORD).start()) {
            app.withBean("redisConnectionFactory", LettuceConnectionFactory.class, () -> factory(redis))
                    .withBean(
                            "redisHealthIndicator",
                            HealthIndicator.class,
                            () -> () -> Health.up().withDetail("from", "spring").build())
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(IndicatorBridge.class);
                        HealthRegistry registry = context.getBean(HealthRegistry.class);
                        registry.markStarted();
                        CheckEntry check = redis(registry);
                        assertThat(check.status()).isEqualTo(Status.UP);
                        assertThat(check.data()).doesNotContainKey("from");
                    });
        }
    }

    @Test
    void aJedisConnectionFactoryIsCheckedToo() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass(PASSWORD).start()) {
            RedisStandaloneConfiguration c = new RedisStandaloneConfiguration("127.0.0.1", redis.port());
            c.setPassword(PASSWORD);
            app.withBean("redisConnectionFactory", JedisConnectionFactory.class, () -> new JedisConnectionFactory(c))
                    .run(context -> {
                        HealthRegistry registry = context.getBean(HealthRegistry.class);
                        registry.markStarted();
                        assertThat(redis(registry).status()).isEqualTo(Status.UP);
                        redis.stop();
                        assertThat(redis(registry).status()).isEqualTo(Status.DOWN);
                    });
        }
    }

    @Test
    void offWithTheProperty() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass(PASSWORD).start()) {
            app.withBean("redisConnectionFactory", LettuceConnectionFactory.class, () -> factory(redis))
                    .withPropertyValues("vigil.health.redis-check=false")
                    .run(context -> assertThat(
                                    context.getBean(HealthRegistry.class).checkNames())
                            .doesNotContain("redis"));
        }
    }
}
