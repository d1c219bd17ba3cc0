package io.vigil.health.servlet;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-code registration for containers that run {@link ServletContainerInitializer}s (Tomcat, Jetty with
 * annotations, every full Jakarta EE server). Off unless the context parameter {@value #ENABLED} is {@code true};
 * then a {@link HealthServlet} named {@value #SERVLET_NAME} is registered at the comma-separated mappings of
 * {@value #MAPPINGS} (default {@code /health/*}). Every {@link HealthServlet} init parameter can be given as a context
 * parameter with the prefix {@value #PREFIX}, e.g. {@code io.vigil.health.details-role}. Registers nothing when a
 * servlet of that name already exists.
 */
public final class HealthServletInitializer implements ServletContainerInitializer {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServletInitializer.class);

    /** Prefix of the context parameters read. */
    public static final String PREFIX = "io.vigil.health.";
    /** Context parameter switching the registration on ({@code true}); default {@code false}. */
    public static final String ENABLED = PREFIX + "enabled";
    /** Context parameter: comma-separated URL patterns; default {@code /health/*}. */
    public static final String MAPPINGS = PREFIX + "mappings";
    /** Name of the registered servlet. */
    public static final String SERVLET_NAME = "vigil-health";

    private static final List<String> PASSED = List.of(HealthServlet.REGISTRY_ATTRIBUTE, HealthServlet.DISCOVER_CHECKS,
            HealthServlet.BASE_PATH, HealthServlet.VERSION_PREFIXES, HealthServlet.DETAILS, HealthServlet.DETAILS_ROLE,
            HealthServlet.STRICT_MICROPROFILE);

    /** Called by the container. */
    public HealthServletInitializer() {
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        if (!"true".equalsIgnoreCase(trim(context.getInitParameter(ENABLED)))) {
            return;
        }
        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET_NAME, HealthServlet.class);
        if (servlet == null) {
            LOG.atInfo().log("a servlet named " + SERVLET_NAME + " exists already; health servlet not registered");
            return;
        }
        for (String name : PASSED) {
            String value = context.getInitParameter(PREFIX + name);
            if (value != null) {
                servlet.setInitParameter(name, value.trim());
            }
        }
        servlet.setLoadOnStartup(1);
        String mappings = trim(context.getInitParameter(MAPPINGS));
        String[] patterns = (mappings == null || mappings.isEmpty() ? "/health/*" : mappings).split(",");
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = patterns[i].trim();
        }
        Set<String> conflicts = servlet.addMapping(patterns);
        if (!conflicts.isEmpty()) {
            LOG.atWarn().addKeyValue("patterns", conflicts)
                    .log("health servlet mappings already taken by other servlets: {}", conflicts);
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
