package io.vigil.health.servlet;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HttpContractSuite;
import java.net.URI;
import java.util.function.Predicate;

/** The HTTP contract over Tomcat 11 embedded serving {@link HealthServlet}. */
class TomcatContractTest extends HttpContractSuite {
    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        Containers.Running running = Containers.Transport.TOMCAT.start(handler, authorized);
        URI base = URI.create(running.base().toString().replaceAll("/$", ""));
        return new Served() {
            @Override
            public URI base() {
                return base;
            }

            @Override
            public void close() {
                running.close();
            }
        };
    }

    @Override
    protected boolean passesUnsafePaths() {
        return false;
    }
}
