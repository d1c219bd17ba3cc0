package io.vigil.health.servlet;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** What an application does in a WAR: builds its registry on start-up and publishes it in the servlet context. */
public final class RegistryListener implements ServletContextListener {
    /** Name of the check it registers. */
    public static final String NAME = "orders-db";
    /** Context parameter: {@code degraded} makes the check DEGRADED (default: UP). */
    public static final String DEGRADED = "test.orders-db.degraded";

    /** For the container. */
    public RegistryListener() {}

    @Override
    public void contextInitialized(ServletContextEvent event) {
        HealthRegistry registry = HealthRegistry.builder().startedImmediately().build();
        boolean degraded = Boolean.parseBoolean(event.getServletContext().getInitParameter(DEGRADED));
        registry.register(
                NAME,
                () -> degraded
                        ? CheckResult.degraded("slow").withData("product", "H2")
                        : CheckResult.up("connected").withData("product", "H2"));
        event.getServletContext().setAttribute(HealthServlet.DEFAULT_REGISTRY_ATTRIBUTE, registry);
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object registry = event.getServletContext().getAttribute(HealthServlet.DEFAULT_REGISTRY_ATTRIBUTE);
        if (registry instanceof HealthRegistry r) {
            r.close();
        }
    }
}
