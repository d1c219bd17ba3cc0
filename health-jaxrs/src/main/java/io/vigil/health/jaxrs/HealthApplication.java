package io.vigil.health.jaxrs;

import jakarta.ws.rs.core.Application;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A Jakarta REST application that serves only the health endpoints: the {@link HealthResource} plus a pre-matching
 * filter that lets the handler, not the runtime, answer malformed {@code Accept} headers (400) and methods that
 * have no JAX-RS designator (405), each with an OperationOutcome. Mount it on a path of its own, e.g. a Jersey
 * servlet at {@code /*} of a management context or a Grizzly server:
 *
 * <pre>{@code
 * new ServletContainer(ResourceConfig.forApplication(new HealthApplication(new HealthResource(registry))))
 * }</pre>
 *
 * Its properties ask Jersey to set error statuses rather than call {@code sendError}, so that a servlet
 * container never replaces an answer with its own error page.
 */
public final class HealthApplication extends Application {
    private final HealthResource resource;

    /**
     * @param resource the resource to serve
     */
    public HealthApplication(HealthResource resource) {
        this.resource = Objects.requireNonNull(resource, "resource");
    }

    @Override
    @SuppressWarnings("deprecation")
    public Set<Object> getSingletons() {
        return Set.of(resource, new RawRequestFilter(resource));
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of(
                "jersey.config.server.response.setStatusOverSendError",
                true,
                "jersey.config.server.wadl.disableWadl",
                true);
    }
}
