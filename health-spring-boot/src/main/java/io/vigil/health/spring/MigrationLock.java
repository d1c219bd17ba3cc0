package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.TaskLock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.util.ClassUtils;

/**
 * Holds the health lock {@value #LOCK} while Spring Boot's Flyway initializer or a {@code SpringLiquibase} bean
 * migrates (their initialisation), so readiness answers 423 meanwhile, also while the tool waits for another
 * replica's database lock. A migration that fails leaves its lock to {@link #destroy()}, which the failed start-up's
 * context close calls. Tools that are not on the class path are simply not looked for.
 */
final class MigrationLock implements BeanPostProcessor, BeanClassLoaderAware, DisposableBean {
    /** The lock's name. */
    static final String LOCK = "schema-migration";

    private static final Map<String, String> MIGRATORS = Map.of(
            "org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer", "Flyway",
            "liquibase.integration.spring.SpringLiquibase", "Liquibase");

    private final ObjectProvider<HealthRegistry> registry;
    private final ObjectProvider<VigilHealthProperties> properties;
    private final Map<String, TaskLock> held = new ConcurrentHashMap<>();
    private volatile Map<Class<?>, String> guarded = Map.of();

    MigrationLock(ObjectProvider<HealthRegistry> registry, ObjectProvider<VigilHealthProperties> properties) {
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    public void setBeanClassLoader(ClassLoader loader) {
        Map<Class<?>, String> found = new LinkedHashMap<>();
        MIGRATORS.forEach((type, tool) -> {
            if (ClassUtils.isPresent(type, loader)) {
                found.put(ClassUtils.resolveClassName(type, loader), tool);
            }
        });
        guarded = Map.copyOf(found);
    }

    /** @return the migration tools found on the class path, e.g. {@code Flyway} */
    java.util.Collection<String> tools() {
        return guarded.values();
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        for (Map.Entry<Class<?>, String> g : guarded.entrySet()) {
            if (g.getKey().isInstance(bean)) {
                TaskLock lock = registry.getObject()
                        .lock(
                                LOCK,
                                g.getValue() + " migration (" + beanName + ")",
                                properties.getObject().getMigrationLockMax());
                TaskLock previous = held.put(beanName, lock);
                if (previous != null) {
                    previous.close();
                }
            }
        }
        return bean;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        TaskLock lock = held.remove(beanName);
        if (lock != null) {
            lock.close();
        }
        return bean;
    }

    @Override
    public void destroy() {
        held.values().forEach(TaskLock::close);
        held.clear();
    }
}
