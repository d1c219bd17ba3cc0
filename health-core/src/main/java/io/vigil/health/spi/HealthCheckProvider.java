package io.vigil.health.spi;

/**
 * Contributes checks found through {@link java.util.ServiceLoader} when the application calls
 * {@code HealthRegistry.builder().discoverChecks()}. List implementations in
 * {@code META-INF/services/io.vigil.health.spi.HealthCheckProvider}. A provider that throws fails the build:
 * the half-built registry is closed and {@code build()} throws an {@link IllegalStateException} naming the
 * provider.
 */
@FunctionalInterface
public interface HealthCheckProvider {
    /**
     * Registers this provider's checks; called once, from {@code build()}.
     *
     * @param registrar where to register them
     */
    void registerChecks(CheckRegistrar registrar);
}
