package io.vigil.health.spi;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthCheck;

/**
 * Where a {@link HealthCheckProvider} registers its checks while a registry is being built. Valid only during
 * {@link HealthCheckProvider#registerChecks(CheckRegistrar)}.
 */
public interface CheckRegistrar {

    /**
     * Registers a check with the default policy (readiness, required, 1 s timeout, 1 s cache).
     *
     * @param name  unique name, 1 to 128 characters, no control characters
     * @param check the check
     * @return this registrar
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    CheckRegistrar register(String name, HealthCheck check);

    /**
     * Registers a check.
     *
     * @param name   unique name, 1 to 128 characters, no control characters
     * @param check  the check
     * @param policy how to run it
     * @return this registrar
     * @throws IllegalArgumentException as {@link io.vigil.health.HealthRegistry#register(String, HealthCheck,
     *                                  CheckPolicy)}
     */
    CheckRegistrar register(String name, HealthCheck check, CheckPolicy policy);
}
