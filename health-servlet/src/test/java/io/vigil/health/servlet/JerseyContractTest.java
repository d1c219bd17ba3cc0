package io.vigil.health.servlet;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HttpContractSuite;
import java.util.function.Predicate;

/** The HTTP contract over Jersey 3.1 on Jetty 12 serving {@link io.vigil.health.jaxrs.HealthApplication}. */
class JerseyContractTest extends HttpContractSuite {
    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        Containers.Running running = Containers.Transport.JERSEY.start(handler, authorized);
        return Served.of(running.base(), running::close);
    }

    @Override
    protected boolean passesUnsafePaths() {
        return false;
    }

    @Override
    protected boolean keepsInvalidEscapesInQueries() {
        return false;
    }
}
