package io.vigil.health.spring;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Registers every {@link HealthCheck} bean under its bean name, with the policy of its settings. Once the context
 * is refreshed (every check and bridged indicator registered), settings for a check that does not exist, a typo
 * most likely, are logged as a warning.
 */
final class CheckRegistrar implements SmartInitializingSingleton, ApplicationListener<ContextRefreshedEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRegistrar.class);
    private final ListableBeanFactory beans;
    private final HealthRegistry registry;
    private final VigilHealthProperties properties;

    CheckRegistrar(ListableBeanFactory beans, HealthRegistry registry, VigilHealthProperties properties) {
        this.beans = beans;
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (Map.Entry<String, HealthCheck> e :
                beans.getBeansOfType(HealthCheck.class).entrySet()) {
            register(registry, properties, e.getKey(), e.getValue(), CheckPolicy.defaults());
        }
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        for (String name : properties.getChecks().keySet()) {
            if (!registry.checkNames().contains(name)) {
                LOG.atWarn()
                        .addKeyValue("check", name)
                        .log(
                                "{}.checks.{}.* set, but there is no check named {}" + " (checks: {}): {}",
                                VigilHealthProperties.PREFIX,
                                name,
                                name,
                                registry.checkNames(),
                                NativeChecks.whatCreates(name));
            }
        }
    }

    /**
     * Registers one check; a name already taken or a policy the registry refuses fails start-up with a message
     * that names the check and its settings.
     */
    static void register(
            HealthRegistry registry,
            VigilHealthProperties properties,
            String name,
            HealthCheck check,
            CheckPolicy base) {
        try {
            registry.register(name, check, Policies.of(properties, name, base));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot register health check '" + name + "' (settings " + VigilHealthProperties.PREFIX + ".checks."
                            + name + ".*): " + e.getMessage(),
                    e);
        }
        LOG.atDebug().addKeyValue("check", name).log("registered health check {}", name);
    }
}
