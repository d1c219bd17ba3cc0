package io.vigil.health.jaxrs;

import io.vigil.health.endpoint.DetailsAuthorizer;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.Set;

/**
 * Runs before resource matching: hands the raw {@code Accept} header to the resource under a private header (so
 * the runtime's own parsing, which rejects malformed values with a bare 400, sees {@code *}{@code /*}) and
 * answers methods the resource has no designator for through the handler.
 */
@PreMatching
final class RawRequestFilter implements ContainerRequestFilter {
    private static final Set<String> DESIGNATED =
            Set.of("GET", "HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "TRACE");

    private final HealthResource resource;

    RawRequestFilter(HealthResource resource) {
        this.resource = resource;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        if (!DESIGNATED.contains(request.getMethod())) {
            request.abortWith(resource.answer(
                    request.getMethod(),
                    request.getUriInfo(),
                    accept,
                    HealthResource.Caller.NONE,
                    DetailsAuthorizer.nobody())); // a 405: no report, nobody to authorize
            return;
        }
        request.getHeaders().putSingle(HealthResource.RAW_ACCEPT, accept == null ? "" : accept);
        request.getHeaders().putSingle(HttpHeaders.ACCEPT, "*/*");
    }
}
