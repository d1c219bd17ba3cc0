package io.vigil.health.endpoint;

import java.util.Objects;

/**
 * Decides whether a caller may see details, for {@link DetailsPolicy#WHEN_AUTHORIZED}. The handler consults it only
 * under that policy and only when it renders a report, so an authorizer is never called for {@code NEVER} or
 * {@code ALWAYS}, for errors, or for {@code OPTIONS}. {@code R} is what the transport knows of the caller: the
 * {@code Authorization} header value (JDK server), the {@code HttpServletRequest}, the JAX-RS request. Called on
 * request threads: must be thread-safe and fast, e.g. a constant-time token comparison.
 *
 * @param <R> the transport's view of the request
 */
@FunctionalInterface
public interface DetailsAuthorizer<R> {
    /**
     * @param request the transport's view of the request
     * @return whether this caller may see details
     */
    boolean authorizes(R request);

    /**
     * @param <R> the transport's view of the request
     * @return an authorizer that authorizes nobody
     */
    static <R> DetailsAuthorizer<R> nobody() {
        return request -> false;
    }

    /**
     * @param other another authorizer
     * @return one that authorizes whom this one or the other does (the other is consulted only if this one refuses)
     */
    default DetailsAuthorizer<R> or(DetailsAuthorizer<? super R> other) {
        Objects.requireNonNull(other, "other");
        return request -> authorizes(request) || other.authorizes(request);
    }
}
