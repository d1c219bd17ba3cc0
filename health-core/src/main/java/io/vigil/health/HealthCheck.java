package io.vigil.health;

import org.jspecify.annotations.Nullable;

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
     * What this check was waiting for when the engine's deadline passed while its call was still running: the
     * engine reports these words instead of its generic "timed out after N ms". A check that derives its own I/O
     * timeouts from {@link CheckContext#ioTimeout()} usually answers with its diagnosis before the deadline; this
     * covers the case where its answer comes too late (its timer woken late on a loaded machine, a call with no
     * timeout of its own), so the check's own diagnosis wins over the generic timeout either way. The result is
     * still a DOWN counted as a timeout.
     *
     * <p>Called at most once per timed-out execution, on the thread that noticed the deadline (often a probing
     * caller's), while the call may still be running on another: it must return at once, never block, and read
     * only state the call publishes safely. An exception or {@code null} means the generic message.
     *
     * @param context the context the timed-out call received (the same instance), e.g. to find that call's state
     * @return the diagnosis, e.g. {@code "no answer from Kafka to describeCluster within 200 ms"}, or {@code null}
     */
    default @Nullable String describeTimeout(CheckContext context) {
        return null;
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
                public @Nullable String describeTimeout(CheckContext context) {
                    return async.describeTimeout(context);
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
            public @Nullable String describeTimeout(CheckContext context) {
                return check.describeTimeout(context);
            }

            @Override
            public CheckKind kind() {
                return kind;
            }
        };
    }
}
