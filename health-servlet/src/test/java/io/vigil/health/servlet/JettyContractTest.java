package io.vigil.health.servlet;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.tck.HttpContractSuite;
import java.util.function.Predicate;

/** The HTTP contract over Jetty 12 (ee10) serving {@link HealthServlet}. */
class JettyContractTest extends HttpContractSuite {
    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        Containers.Running running = Containers.Transport.JETTY.start(handler, authorized);
        return Served.of(running.base(), running::close);
    }

    @Override
    protected boolean passesUnsafePaths() {
        return false;
    }
}
