package io.vigil.health.microprofile;

import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.spi.HealthCheckResponseProvider;

/**
 * Makes {@code HealthCheckResponse.named("x").up().withData("k", "v").build()} work without any other MicroProfile
 * Health implementation. Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/org.eclipse.microprofile.health.spi.HealthCheckResponseProvider}; it must be the only
 * provider on the class path (the API takes the first one found). Stateless and thread-safe.
 */
public final class VigilHealthCheckResponseProvider implements HealthCheckResponseProvider {

    /** Called by {@link java.util.ServiceLoader}. */
    public VigilHealthCheckResponseProvider() {}

    /** @return a new builder: no name, status DOWN until {@code up()} or {@code status(true)}, no data */
    @Override
    public HealthCheckResponseBuilder createResponseBuilder() {
        return new ResponseBuilder();
    }
}
