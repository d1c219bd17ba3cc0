package io.vigil.health.endpoint;

/** Who sees details (check data, messages, lock descriptions, licensee). Status, outcome and names are always shown. */
public enum DetailsPolicy {
    /** Nobody. */
    NEVER,
    /** Everybody: only for endpoints that are not reachable from outside. */
    ALWAYS,
    /** Callers the transport marks as authorized (servlet role, bearer token predicate, JAX-RS SecurityContext). */
    WHEN_AUTHORIZED
}
