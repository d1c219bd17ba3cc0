package io.vigil.health.spring;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.checks.DeadlockCheck;
import io.vigil.health.jdbc.DataSourceCheck;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Vigil's own checks of what the application has, without Spring's health API: each {@link DataSource} bean a
 * {@link DataSourceCheck} ({@code db}, or {@code db/<bean name>} with several), a {@link DeadlockCheck} on
 * liveness ({@code deadlocks}), and those of the {@link Source}s (Redis, with Spring Data Redis). The names are claimed when this object is created, before any check is
 * registered, so that the indicator bridge skips Spring's indicator of the same name ({@link #claims}). A name
 * the application gives a {@link HealthCheck} bean of its own stays the application's.
 */
final class NativeChecks implements SmartInitializingSingleton {
    /** A native check that needs an optional library, declared by a configuration conditional on its classes. */
    interface Source {
        /**
         * @param name a check name; asked once every singleton exists
         * @return whether this source registers a check of that name
         */
        boolean claims(String name);

        /** Registers its check, if it has one. */
        void register(HealthRegistry registry, VigilHealthProperties properties);
    }

    /** The check name of the data source, as Actuator names its indicator. */
    static final String DB = "db";
    /** The check name of the deadlock check. */
    static final String DEADLOCKS = "deadlocks";

    private final ListableBeanFactory beans;
    private final HealthRegistry registry;
    private final VigilHealthProperties properties;
    private final Map<String, String> dataSources; // check name -> bean name
    private final boolean deadlocks;
    private final List<Source> sources;

    NativeChecks(
            ListableBeanFactory beans,
            HealthRegistry registry,
            VigilHealthProperties properties,
            List<Source> sources) {
        this.beans = beans;
        this.sources = List.copyOf(sources);
        this.registry = registry;
        this.properties = properties;
        Set<String> own = Set.of(beans.getBeanNamesForType(HealthCheck.class, true, false));
        this.dataSources = new LinkedHashMap<>();
        if (properties.isDbCheck()) {
            List<String> names = Arrays.asList(beans.getBeanNamesForType(DataSource.class, true, false));
            for (String bean : names) {
                String name = names.size() == 1 ? DB : DB + "/" + bean;
                if (!own.contains(name) && !own.contains(DB)) {
                    dataSources.put(name, bean);
                }
            }
        }
        this.deadlocks = properties.isDeadlockCheck() && !own.contains(DEADLOCKS);
    }

    /**
     * @param name a check name
     * @return whether a native check has that name, or (for {@code db}) covers its members: the bridged
     *     indicator of that name must not be registered
     */
    boolean claims(String name) {
        if (dataSources.containsKey(name) || sources.stream().anyMatch(s -> s.claims(name))) {
            return true;
        }
        return (name.equals(DB) || name.startsWith(DB + "/")) && !dataSources.isEmpty();
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Map.Entry<String, String> e : dataSources.entrySet()) {
            DataSource dataSource = beans.getBean(e.getValue(), DataSource.class);
            CheckRegistrar.register(
                    registry, properties, e.getKey(), DataSourceCheck.of(dataSource), CheckPolicy.defaults());
        }
        if (deadlocks) {
            CheckRegistrar.register(
                    registry,
                    properties,
                    DEADLOCKS,
                    new DeadlockCheck(),
                    CheckPolicy.builder().probes(Probe.LIVENESS).build());
        }
        sources.forEach(s -> s.register(registry, properties));
    }

    /**
     * @param name a check name that has settings but no check
     * @return what would create it, for the warning about its settings
     */
    static String whatCreates(String name) {
        if (name.equals(DB) || name.startsWith(DB + "/")) {
            return "a DataSource bean creates it (add spring-boot-starter-jdbc and a driver; "
                    + VigilHealthProperties.PREFIX + ".db-check must not be false)";
        }
        if (name.equals(RedisNativeCheck.NAME)) {
            return "a standalone Lettuce or Jedis RedisConnectionFactory bean creates it (add"
                    + " spring-boot-starter-data-redis; " + VigilHealthProperties.PREFIX + ".redis-check must not be"
                    + " false)";
        }
        if (name.equals(DEADLOCKS)) {
            return VigilHealthProperties.PREFIX + ".deadlock-check=true creates it";
        }
        return "a HealthCheck bean named " + name + " creates it, or, with spring-boot-health on the class path,"
                + " a HealthIndicator bean named " + name + "HealthIndicator";
    }
}
