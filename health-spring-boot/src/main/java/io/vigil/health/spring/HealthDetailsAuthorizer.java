package io.vigil.health.spring;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides, with {@code vigil.health.details=when-authorized}, whether a caller of the health servlet may see
 * details (check data, error messages, lock descriptions). Declare one as a bean, e.g. a constant-time comparison
 * of a bearer token; it is combined by "or" with {@code vigil.health.details-role}. Called on request threads:
 * must be thread-safe and fast.
 */
@FunctionalInterface
public interface HealthDetailsAuthorizer {
    /**
     * @param request the request to the health servlet
     * @return whether the caller may see details
     */
    boolean isAuthorized(HttpServletRequest request);
}
