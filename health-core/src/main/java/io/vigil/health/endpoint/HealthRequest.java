package io.vigil.health.endpoint;

import java.util.Objects;

/**
 * A transport-neutral HTTP request, as a transport hands it to {@link HealthHandler}.
 *
 * @param method      HTTP method, e.g. {@code GET}
 * @param path        raw (still percent-encoded) path relative to the mount root, e.g. {@code /health/ready}
 * @param query       raw query string without {@code ?}, or {@code null}
 * @param accept      the {@code Accept} header, or {@code null}
 * @param authorized  whether the transport authorized the caller to see details
 * @param credentials whether the caller presented credentials (an {@code Authorization} header, an authenticated
 *                    principal): a refused caller with credentials gets 403, one without 401
 */
public record HealthRequest(String method, String path, String query, String accept, boolean authorized,
                            boolean credentials) {
    /** Validates. */
    public HealthRequest {
        Objects.requireNonNull(method, "method");
        path = path == null || path.isEmpty() ? "/" : path;
    }

    /**
     * A request whose caller presented credentials exactly when it is authorized.
     *
     * @param method     HTTP method
     * @param path       raw path relative to the mount root
     * @param query      raw query string, or {@code null}
     * @param accept     the {@code Accept} header, or {@code null}
     * @param authorized whether the transport authorized the caller
     */
    public HealthRequest(String method, String path, String query, String accept, boolean authorized) {
        this(method, path, query, accept, authorized, authorized);
    }
}
