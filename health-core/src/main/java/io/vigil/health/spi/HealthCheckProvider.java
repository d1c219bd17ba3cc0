package io.vigil.health.spi;

import io.vigil.health.HealthRegistry;

/**
 * Contributes checks found through {@link java.util.ServiceLoader} when the application calls
 * {@link HealthRegistry.Builder#discoverChecks()}. List implementations in
 * {@code META-INF/services/io.vigil.health.spi.HealthCheckProvider}.
 */
@FunctionalInterface
public interface HealthCheckProvider {
    /**
     * Registers this provider's checks.
     *
     * @param registry the registry being built
     */
    void registerChecks(HealthRegistry registry);
}
