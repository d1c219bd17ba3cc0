package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.TaskLock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationInitializer;

/**
 * Holds the health lock {@value #LOCK} while Spring Boot's {@link FlywayMigrationInitializer} migrates (its
 * initialisation), so readiness answers 423 meanwhile, also while Flyway waits for another replica's migration.
 * A migration that fails leaves its lock to {@link #destroy()}, which the failed start-up's context close calls.
 */
final class MigrationLock implements BeanPostProcessor, DisposableBean {
    /** The lock's name. */
    static final String LOCK = "schema-migration";

    private final ObjectProvider<HealthRegistry> registry;
    private final ObjectProvider<VigilHealthProperties> properties;
    private final Map<String, TaskLock> held = new ConcurrentHashMap<>();

    MigrationLock(ObjectProvider<HealthRegistry> registry, ObjectProvider<VigilHealthProperties> properties) {
        this.registry = registry;
        this.properties = properties;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof FlywayMigrationInitializer) {
            TaskLock lock = registry.getObject().lock(LOCK, "Flyway migration (" + beanName + ")",
                    properties.getObject().getMigrationLockMax());
            TaskLock previous = held.put(beanName, lock);
            if (previous != null) {
                previous.close();
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
