package io.vigil.health.endpoint;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A transport-neutral HTTP request, as a transport hands it to {@link HealthHandler}. Build it with
 * {@link #builder(String, String)} (or {@link #get(String)}), so that a field added later breaks no transport.
 * Immutable, thread-safe.
 */
public final class HealthRequest {
    private final String method;
    private final String path;
    private final @Nullable String query;
    private final @Nullable String accept;
    private final boolean authorized;
    private final boolean credentials;

    private HealthRequest(Builder b) {
        this.method = b.method;
        this.path = b.path == null || b.path.isEmpty() ? "/" : b.path;
        this.query = b.query;
        this.accept = b.accept;
        this.authorized = b.authorized;
        this.credentials = b.credentials != null ? b.credentials : b.authorized;
    }

    /**
     * @param method HTTP method, e.g. {@code GET}
     * @param path   raw (still percent-encoded) path relative to the mount root, e.g. {@code /health/ready};
     *               {@code null} or empty is {@code /}
     * @return a builder (no query, no {@code Accept}, not authorized)
     */
    public static Builder builder(String method, @Nullable String path) {
        return new Builder(Objects.requireNonNull(method, "method"), path);
    }

    /**
     * @param path raw path relative to the mount root, optionally with {@code ?query}
     * @return a {@code GET} request without {@code Accept}, not authorized
     */
    public static HealthRequest get(String path) {
        int q = path.indexOf('?');
        return builder("GET", q < 0 ? path : path.substring(0, q))
                .query(q < 0 ? null : path.substring(q + 1))
                .build();
    }

    /** @return the HTTP method, e.g. {@code GET} */
    public String method() {
        return method;
    }

    /** @return the raw (still percent-encoded) path relative to the mount root, never empty */
    public String path() {
        return path;
    }

    /** @return the raw query string without {@code ?}, or {@code null} */
    public @Nullable String query() {
        return query;
    }

    /** @return the {@code Accept} header, or {@code null} */
    public @Nullable String accept() {
        return accept;
    }

    /** @return whether the transport authorized the caller to see details */
    public boolean authorized() {
        return authorized;
    }

    /**
     * @return whether the caller presented credentials (an {@code Authorization} header, an authenticated principal):
     *     a refused caller with credentials gets 403, one without 401
     */
    public boolean credentials() {
        return credentials;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof HealthRequest r
                && r.method.equals(method)
                && r.path.equals(path)
                && Objects.equals(r.query, query)
                && Objects.equals(r.accept, accept)
                && r.authorized == authorized
                && r.credentials == credentials;
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, query, accept, authorized, credentials);
    }

    @Override
    public String toString() {
        return "HealthRequest[" + method + " " + path + (query == null ? "" : "?" + query) + "]";
    }

    /** Builds a {@link HealthRequest}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final @Nullable String path;
        private @Nullable String query;
        private @Nullable String accept;
        private boolean authorized;
        private @Nullable Boolean credentials;

        private Builder(String method, @Nullable String path) {
            this.method = method;
            this.path = path;
        }

        /**
         * @param value raw query string without {@code ?}, or {@code null}
         * @return this builder
         */
        public Builder query(@Nullable String value) {
            query = value;
            return this;
        }

        /**
         * @param value the {@code Accept} header, or {@code null}
         * @return this builder
         */
        public Builder accept(@Nullable String value) {
            accept = value;
            return this;
        }

        /**
         * @param value whether the transport authorized the caller to see details (a servlet role, for instance)
         * @return this builder
         */
        public Builder authorized(boolean value) {
            authorized = value;
            return this;
        }

        /**
         * @param value whether the caller presented credentials; unset, it follows {@link #authorized(boolean)}
         * @return this builder
         */
        public Builder credentials(boolean value) {
            credentials = value;
            return this;
        }

        /** @return the request */
        public HealthRequest build() {
            return new HealthRequest(this);
        }
    }
}
