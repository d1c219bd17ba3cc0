package io.vigil.health;

/**
 * A check of one thing the service needs. Implementations know nothing about HTTP, caching, timeouts or
 * metrics: the engine owns those. A check may block (it runs on an engine thread under a timeout), may
 * throw (it is then DOWN with a sanitized message) and is never called concurrently with itself.
 *
 * <p>The engine calls {@link #check(CheckContext)}; a lambda implements {@link #check()} and ignores the
 * context. A check that does I/O overrides {@link #check(CheckContext)} and bounds its I/O by
 * {@link CheckContext#remaining()}.
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
     * Looks at the thing once, within the time the engine gives it. The engine always calls this method.
     *
     * @param context the evaluation's deadline
     * @return the result; {@code null} counts as DOWN
     * @throws Exception any failure, reported as DOWN
     */
    default CheckResult check(CheckContext context) throws Exception {
        return check();
    }

    /**
     * Whether this check only reads memory and never blocks, so that the engine may run it on the probing
     * caller's thread (see {@link CheckPolicy.Builder#nonBlocking()}, which declares the same for any check).
     *
     * @return {@code false} unless overridden
     */
    default boolean nonBlocking() {
        return false;
    }

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
     * Wraps a lambda as a check of the given kind; an {@link AsyncHealthCheck} stays asynchronous.
     *
     * @param kind  what the check looks at
     * @param check the check body
     * @return a check reporting that kind
     */
    static HealthCheck of(CheckKind kind, HealthCheck check) {
        java.util.Objects.requireNonNull(kind, "kind");
        java.util.Objects.requireNonNull(check, "check");
        if (check instanceof AsyncHealthCheck async) {
            return new AsyncHealthCheck() {
                @Override
                public java.util.concurrent.CompletionStage<CheckResult> checkAsync(CheckContext context) {
                    return async.checkAsync(context);
                }

                @Override
                public boolean cancelOnTimeout() {
                    return async.cancelOnTimeout();
                }

                @Override
                public CheckKind kind() {
                    return kind;
                }
            };
        }
        return new HealthCheck() {
            @Override
            public CheckResult check() throws Exception {
                return check.check();
            }

            @Override
            public CheckResult check(CheckContext context) throws Exception {
                return check.check(context);
            }

            @Override
            public boolean nonBlocking() {
                return check.nonBlocking();
            }

            @Override
            public CheckKind kind() {
                return kind;
            }
        };
    }
}
