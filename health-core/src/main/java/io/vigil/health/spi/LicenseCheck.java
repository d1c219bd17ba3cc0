package io.vigil.health.spi;

import io.vigil.health.LicenseState;

/**
 * Tells whether the service's license is valid. Called at most once per cache period of the registry (default
 * 60 s); must not block long. An exception counts as {@link io.vigil.health.LicenseValidity#INVALID}.
 */
@FunctionalInterface
public interface LicenseCheck {
    /**
     * @return the current state, never {@code null}
     * @throws Exception when the license cannot be read
     */
    LicenseState check() throws Exception;
}
