package io.vigil.health.jaxrs;

import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.DetailsAuthorizer;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.endpoint.ResponseSink;
import io.vigil.health.internal.util.Require;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Serves the health endpoints as a Jakarta REST (JAX-RS) root resource. A thin shell around
 * {@link HealthHandler}: the handler receives the raw path relative to the application's base URI, so with an
 * application at {@code /} and the default base path the endpoints are {@code /health/ready} etc., exactly as
 * with {@link io.vigil.health.servlet.HealthServlet}.
 *
 * <p>The resource matches every path under the application root that no more specific resource claims, so unknown
 * paths get the handler's 404 OperationOutcome. Prefer {@link HealthApplication}, a dedicated application that
 * also hands the handler malformed {@code Accept} headers and methods without a JAX-RS designator, which a
 * runtime otherwise rejects itself.
 *
 * <pre>{@code
 * ResourceConfig app = new ResourceConfig().register(new HealthResource(registry));   // Jersey
 * }</pre>
 *
 * Every method designator answers alike: JAX-RS needs one Java method per designator, each hands the request to
 * the handler. Thread-safe; register one instance (a singleton).
 */
@Path("/")
public final class HealthResource {
    static final String RAW_ACCEPT = "X-Vigil-Health-Accept";
    private static final String ANY = "{path: .*}";

    private final HealthHandler handler;
    private final DetailsAuthorizer<Caller> authorizer;

    // per-request proxies the runtime injects into this singleton
    @Context
    private Request request;

    @Context
    private UriInfo uri;

    @Context
    private HttpHeaders headers;

    @Context
    private SecurityContext security;

    /**
     * What the resource knows of a caller, for the authorizer.
     *
     * @param headers  the request headers, or {@code null} for {@link #NONE}
     * @param security the runtime's security context, or {@code null}
     */
    record Caller(@Nullable HttpHeaders headers, @Nullable SecurityContext security) {
        /** No caller known: the raw-request filter's answers, which show no report. */
        static final Caller NONE = new Caller(null, null);
    }

    /**
     * Serves a registry with the default handler: base {@code /health}, details never shown.
     *
     * @param registry the registry; not closed by the resource
     */
    public HealthResource(HealthRegistry registry) {
        this(HealthHandler.builder(Objects.requireNonNull(registry, "registry")).build());
    }

    /**
     * Serves a handler; nobody is authorized to see details unless the handler's policy is {@code ALWAYS}.
     *
     * @param handler the handler
     */
    public HealthResource(HealthHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.authorizer = DetailsAuthorizer.nobody();
    }

    private HealthResource(Builder b) {
        this.handler = b.handler;
        this.authorizer = b.role.or(b.authorizer);
    }

    /**
     * @param handler the handler to serve
     * @return a builder for a resource with a details role or an authorizer
     */
    public static Builder builder(HealthHandler handler) {
        return new Builder(handler);
    }

    /** @return the answer */
    @GET
    @Path(ANY)
    public Response get() {
        return answer();
    }

    /** @return the answer, without body */
    @HEAD
    @Path(ANY)
    public Response head() {
        return answer();
    }

    /** @return 204 with {@code Allow} */
    @OPTIONS
    @Path(ANY)
    public Response options() {
        return answer();
    }

    /** @return 405 with an OperationOutcome */
    @POST
    @Path(ANY)
    public Response post() {
        return answer();
    }

    /** @return 405 with an OperationOutcome */
    @PUT
    @Path(ANY)
    public Response put() {
        return answer();
    }

    /** @return 405 with an OperationOutcome */
    @DELETE
    @Path(ANY)
    public Response delete() {
        return answer();
    }

    /** @return 405 with an OperationOutcome */
    @PATCH
    @Path(ANY)
    public Response patch() {
        return answer();
    }

    /** @return 405 with an OperationOutcome */
    @TRACE
    @Path(ANY)
    @SuppressWarnings("exports") // @TRACE is a package-private method designator: JAX-RS reads it, callers never do
    public Response trace() {
        return answer();
    }

    private Response answer() {
        String raw = headers.getHeaderString(RAW_ACCEPT);
        String accept = raw != null ? raw : headers.getHeaderString(HttpHeaders.ACCEPT);
        return answer(request.getMethod(), uri, accept, new Caller(headers, security), authorizer);
    }

    Response answer(
            String method,
            UriInfo uri,
            @Nullable String accept,
            Caller caller,
            DetailsAuthorizer<? super Caller> authorizer) {
        // the raw-request filter answers methods no resource method takes with Caller.NONE: never credentials
        boolean credentials =
                (caller.headers() != null && caller.headers().getHeaderString(HttpHeaders.AUTHORIZATION) != null)
                        || (caller.security() != null && caller.security().getUserPrincipal() != null);
        return toResponse(handler.handle(
                HealthRequest.builder(method, relativePath(uri))
                        .query(uri.getRequestUri().getRawQuery())
                        .accept(accept)
                        .credentials(credentials)
                        .build(),
                caller,
                authorizer));
    }

    /** The raw (percent-encoded) path relative to the application's base URI, starting with {@code /}. */
    static String relativePath(UriInfo uri) {
        String request = uri.getRequestUri().getRawPath();
        String base = uri.getBaseUri().getRawPath();
        if (request != null && base != null && request.startsWith(base)) {
            String rest = request.substring(base.length());
            return rest.startsWith("/") ? rest : "/" + rest;
        }
        String p = uri.getPath(false);
        return p.startsWith("/") ? p : "/" + p;
    }

    /**
     * Translates a handler response as {@link HealthResponse#writeTo} rules it: the body bytes as the entity; for
     * HEAD no entity but the {@code Content-Length} of the GET body; 204 carries neither.
     */
    static Response toResponse(HealthResponse answer) {
        Response.ResponseBuilder[] b = new Response.ResponseBuilder[1];
        String[] length = new String[1];
        boolean[] entity = new boolean[1];
        try {
            answer.writeTo(new ResponseSink() {
                @Override
                public void status(int code) {
                    b[0] = Response.status(code);
                }

                @Override
                public void header(String name, String value) {
                    if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                        length[0] = value; // the runtime computes it for an entity
                    } else {
                        b[0].header(name, value);
                    }
                }

                @Override
                public void body(byte[] bytes) {
                    b[0].entity(bytes);
                    entity[0] = true;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink above does no I/O
        }
        if (!entity[0] && length[0] != null) {
            b[0].header(HttpHeaders.CONTENT_LENGTH, length[0]);
        }
        return b[0].build();
    }

    /** Builds a {@link HealthResource} bound to the runtime's security. Not thread-safe. */
    public static final class Builder {
        private final HealthHandler handler;
        private DetailsAuthorizer<Caller> role = DetailsAuthorizer.nobody();
        private DetailsAuthorizer<Caller> authorizer = DetailsAuthorizer.nobody();

        Builder(HealthHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * With {@link DetailsPolicy#WHEN_AUTHORIZED}, callers for whom {@link SecurityContext#isUserInRole}
         * holds see details.
         *
         * @param value role name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder role(String value) {
            Require.notBlank(value, "role");
            role = caller -> caller.security() != null && caller.security().isUserInRole(value);
            return this;
        }

        /**
         * With {@link DetailsPolicy#WHEN_AUTHORIZED}, callers for whom the authorizer holds see details, e.g. a
         * constant-time comparison of a bearer token in the {@code Authorization} header. Combined with
         * {@link #role(String)} by "or". Consulted only under that policy; must be thread-safe.
         *
         * @param value decides on the request headers
         * @return this builder
         */
        public Builder authorizer(DetailsAuthorizer<HttpHeaders> value) {
            Objects.requireNonNull(value, "authorizer");
            authorizer = caller -> caller.headers() != null && value.authorizes(caller.headers());
            return this;
        }

        /** @return the resource */
        public HealthResource build() {
            return new HealthResource(this);
        }
    }
}
