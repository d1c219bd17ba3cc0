package io.vigil.health.servlet;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.tck.HttpContractSuite;
import java.util.function.Predicate;

/** The HTTP contract over Tomcat 11 embedded serving {@link HealthServlet}. */
class TomcatContractTest extends HttpContractSuite {
    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        Containers.Running running = Containers.Transport.TOMCAT.start(handler, authorized);
        return Served.of(running.base(), running::close);
    }

    @Override
    protected int maxRequestsPerConnection() {
        return 100; // the connector's maxKeepAliveRequests default
    }

    @Override
    protected boolean passesUnsafePaths() {
        return false;
    }
}
