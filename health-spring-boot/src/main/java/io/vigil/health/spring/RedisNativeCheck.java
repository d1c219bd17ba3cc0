package io.vigil.health.spring;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.redis.RedisProbeCheck;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisPassword;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The check {@code redis} for the application's one standalone Lettuce or Jedis {@link RedisConnectionFactory}:
 * Vigil's {@link RedisProbeCheck} to the factory's server, database and credentials ({@code rediss://} when the
 * factory uses SSL). It speaks RESP on a socket of its own, bounded by the check's timeout, so a stuck pool of the
 * application never hangs the probe and the probe never takes the application's connections. Sentinel and cluster
 * factories (and several factories) get no native check: Spring's indicator, when bridged, still covers them.
 */
final class RedisNativeCheck implements NativeChecks.Source {
    /** The check's name, as Actuator names its Redis indicator. */
    static final String NAME = "redis";

    private final ListableBeanFactory beans;
    private final @Nullable String bean; // null: nothing to check

    RedisNativeCheck(ListableBeanFactory beans, VigilHealthProperties properties) {
        this.beans = beans;
        String[] names = beans.getBeanNamesForType(RedisConnectionFactory.class, true, false);
        boolean own = Set.of(beans.getBeanNamesForType(HealthCheck.class, true, false))
                .contains(NAME);
        this.bean = properties.isRedisCheck() && names.length == 1 && !own ? names[0] : null;
    }

    /** Called once every singleton exists: the factory is then created and configured. */
    @Override
    public boolean claims(String name) {
        return NAME.equals(name)
                && bean != null
                && standalone(beans.getBean(bean, RedisConnectionFactory.class)) != null;
    }

    @Override
    public void register(HealthRegistry registry, VigilHealthProperties properties) {
        if (bean == null) {
            return;
        }
        RedisConnectionFactory factory = beans.getBean(bean, RedisConnectionFactory.class);
        Standalone s = standalone(factory);
        if (s == null) {
            return;
        }
        RedisStandaloneConfiguration c = s.configuration();
        RedisProbeCheck.Builder b = RedisProbeCheck.builder(
                        (s.ssl() ? "rediss://" : "redis://") + host(c.getHostName()) + ":" + c.getPort())
                .database(c.getDatabase());
        RedisPassword password = c.getPassword();
        if (password.isPresent()) {
            String pw = new String(password.get());
            if (c.getUsername() != null && !c.getUsername().isEmpty()) {
                b.credentials(c.getUsername(), pw);
            } else {
                b.password(pw);
            }
        }
        HealthCheck check = b.build();
        CheckRegistrar.register(registry, properties, NAME, check, CheckPolicy.defaults());
    }

    private static String host(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host; // IPv6 literal
    }

    /** A factory's standalone configuration and whether it uses SSL. */
    private record Standalone(RedisStandaloneConfiguration configuration, boolean ssl) {}

    private static @Nullable Standalone standalone(RedisConnectionFactory factory) {
        if (factory instanceof LettuceConnectionFactory lettuce
                && !lettuce.isRedisSentinelAware()
                && !lettuce.isClusterAware()) {
            return new Standalone(lettuce.getStandaloneConfiguration(), lettuce.isUseSsl());
        }
        if (factory instanceof JedisConnectionFactory jedis
                && !jedis.isRedisSentinelAware()
                && !jedis.isRedisClusterAware()) {
            return new Standalone(
                    Objects.requireNonNull(jedis.getStandaloneConfiguration(), "neither sentinel nor cluster"),
                    jedis.isUseSsl());
        }
        return null;
    }
}
