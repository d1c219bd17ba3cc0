package io.vigil.health.jaxrs;

import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
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
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

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
 * Thread-safe; register one instance (a singleton).
 */
@Path("/")
public final class HealthResource {
    static final String RAW_ACCEPT = "X-Vigil-Health-Accept";

    private final HealthHandler handler;
    private final String role;
    private final Predicate<HttpHeaders> authorizer;

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
        this.role = null;
        this.authorizer = null;
    }

    private HealthResource(Builder b) {
        this.handler = b.handler;
        this.role = b.role;
        this.authorizer = b.authorizer;
    }

    /**
     * @param handler the handler to serve
     * @return a builder for a resource with a details role or an authorizer
     */
    public static Builder builder(HealthHandler handler) {
        return new Builder(handler);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return the answer
     */
    @GET
    @Path("{path: .*}")
    public Response get(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                        @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return the answer, without body
     */
    @HEAD
    @Path("{path: .*}")
    public Response head(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                         @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return the answer
     */
    @OPTIONS
    @Path("{path: .*}")
    public Response options(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                            @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return 405 with an OperationOutcome
     */
    @POST
    @Path("{path: .*}")
    public Response post(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                         @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return 405 with an OperationOutcome
     */
    @PUT
    @Path("{path: .*}")
    public Response put(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                        @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return 405 with an OperationOutcome
     */
    @DELETE
    @Path("{path: .*}")
    public Response delete(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                           @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return 405 with an OperationOutcome
     */
    @PATCH
    @Path("{path: .*}")
    public Response patch(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                          @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    /**
     * @param request request
     * @param uri     URI
     * @param headers headers
     * @param caller  security context
     * @return 405 with an OperationOutcome
     */
    @TRACE
    @Path("{path: .*}")
    public Response trace(@Context Request request, @Context UriInfo uri, @Context HttpHeaders headers,
                          @Context SecurityContext caller) {
        return answer(request.getMethod(), uri, headers, caller);
    }

    private Response answer(String method, UriInfo uri, HttpHeaders headers, SecurityContext caller) {
        String raw = headers.getHeaderString(RAW_ACCEPT);
        String accept = raw != null ? raw : headers.getHeaderString(HttpHeaders.ACCEPT);
        boolean authorized = handler.detailsPolicy() == DetailsPolicy.WHEN_AUTHORIZED
                && ((role != null && caller != null && caller.isUserInRole(role))
                || (authorizer != null && authorizer.test(headers)));
        return answer(method, uri, accept, authorized);
    }

    Response answer(String method, UriInfo uri, String accept, boolean authorized) {
        return toResponse(handler.handle(new HealthRequest(method, relativePath(uri),
                uri.getRequestUri().getRawQuery(), accept, authorized)));
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
     * Copies a handler response: status, headers, and the body bytes as the entity; for HEAD no entity but the
     * {@code Content-Length} of the GET body; 204 carries neither.
     */
    static Response toResponse(HealthResponse answer) {
        Response.ResponseBuilder b = Response.status(answer.status());
        for (Map.Entry<String, String> e : answer.headers().entrySet()) {
            b.header(e.getKey(), e.getValue());
        }
        if (answer.status() != 204 && answer.status() != 304) {
            if (answer.head()) {
                b.header(HttpHeaders.CONTENT_LENGTH, answer.body().length);
            } else {
                b.entity(answer.body());
            }
        }
        return b.build();
    }

    /** Builds a {@link HealthResource} bound to the runtime's security. Not thread-safe. */
    public static final class Builder {
        private final HealthHandler handler;
        private String role;
        private Predicate<HttpHeaders> authorizer;

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
            Objects.requireNonNull(value, "role");
            if (value.isBlank()) {
                throw new IllegalArgumentException("role must not be blank");
            }
            role = value;
            return this;
        }

        /**
         * With {@link DetailsPolicy#WHEN_AUTHORIZED}, callers for whom the predicate holds see details, e.g. a
         * constant-time comparison of a bearer token in the {@code Authorization} header. Combined with
         * {@link #role(String)} by "or". Must be thread-safe.
         *
         * @param value predicate on the request headers
         * @return this builder
         */
        public Builder authorizer(Predicate<HttpHeaders> value) {
            authorizer = Objects.requireNonNull(value, "authorizer");
            return this;
        }

        /** @return the resource */
        public HealthResource build() {
            return new HealthResource(this);
        }
    }
}
