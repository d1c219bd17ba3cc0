package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.server.JdkHealthServer;
import org.springframework.beans.factory.DisposableBean;

/**
 * The probe server on {@code vigil.health.port}: a JDK HTTP server started by {@link EarlyHealthServerInitializer}
 * before the application context refreshes, serving the application's {@link HealthRegistry} from then until the
 * context is destroyed (after the web server's graceful shutdown). Available as the bean
 * {@value #BEAN}; closing it closes the server and the registry.
 */
public final class EarlyHealthServer implements DisposableBean {
    /** Its bean name. */
    public static final String BEAN = "vigilHealthEarlyServer";

    private final JdkHealthServer server;
    private final HealthRegistry registry;

    EarlyHealthServer(JdkHealthServer server, HealthRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /** @return the port it listens on (the one picked when {@code vigil.health.port=0}) */
    public int port() {
        return server.port();
    }

    /** Stops the server, then closes the registry. */
    @Override
    public void destroy() {
        try {
            server.close();
        } finally {
            registry.close();
        }
    }
}
