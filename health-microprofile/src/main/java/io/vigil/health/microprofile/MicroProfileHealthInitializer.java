package io.vigil.health.microprofile;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps {@link MicroProfileHealthServlet} to {@code /health/*} in every web application of a container that runs
 * {@link ServletContainerInitializer}s, like any MicroProfile Health runtime does. Off when the context parameter
 * {@value #ENABLED} is {@code false}; registers nothing when a servlet named {@value #SERVLET_NAME} exists.
 * Registered through {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}.
 */
public final class MicroProfileHealthInitializer implements ServletContainerInitializer {
    private static final Logger LOG = LoggerFactory.getLogger(MicroProfileHealthInitializer.class);

    /** Context parameter; {@code false} turns the mapping off. */
    public static final String ENABLED = "io.vigil.health.microprofile.enabled";
    /** Name of the registered servlet. */
    public static final String SERVLET_NAME = "vigil-microprofile-health";

    /** Called by the container. */
    public MicroProfileHealthInitializer() {}

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        String enabled = context.getInitParameter(ENABLED);
        if (enabled != null && enabled.trim().equalsIgnoreCase("false")) {
            return;
        }
        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET_NAME, MicroProfileHealthServlet.class);
        if (servlet == null) {
            return;
        }
        Set<String> conflicts = servlet.addMapping("/health/*");
        if (!conflicts.isEmpty()) {
            LOG.atWarn().log("MicroProfile Health endpoints not mapped: /health/* belongs to another servlet");
        }
    }
}
