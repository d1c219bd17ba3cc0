package io.vigil.health;

/**
 * A check of one thing the service needs. Implementations know nothing about HTTP, caching, timeouts or
 * metrics: the engine owns those. A check may block (it runs on an engine thread under a timeout), may
 * throw (it is then DOWN with a sanitized message) and is never called concurrently with itself.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Looks at the thing once.
     *
     * @return the result; {@code null} counts as DOWN
     * @throws Exception any failure, reported as DOWN
     */
    CheckResult check() throws Exception;

    /**
     * What this check looks at. Dependency and datastore checks may not be registered on the liveness probe
     * without {@link CheckPolicy.Builder#allowOnLiveness()}.
     *
     * @return {@link CheckKind#PROCESS} unless overridden
     */
    default CheckKind kind() {
        return CheckKind.PROCESS;
    }

    /**
     * Wraps a lambda as a check of the given kind.
     *
     * @param kind  what the check looks at
     * @param check the check body
     * @return a check reporting that kind
     */
    static HealthCheck of(CheckKind kind, HealthCheck check) {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(check, "check");
        return new HealthCheck() {
            @Override
            public CheckResult check() throws Exception {
                return check.check();
            }

            @Override
            public CheckKind kind() {
                return kind;
            }
        };
    }
}
