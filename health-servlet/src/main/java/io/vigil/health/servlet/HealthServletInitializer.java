package io.vigil.health.servlet;

import io.vigil.health.config.HealthSettings;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Zero-code registration for containers that run {@link ServletContainerInitializer}s (Tomcat, Jetty with
 * annotations, every full Jakarta EE server). Off unless the context parameter {@value #ENABLED} is {@code true};
 * then a {@link HealthServlet} named {@value #SERVLET_NAME} is registered at the comma-separated mappings of
 * {@value #MAPPINGS} (default {@code /health/*}). Every {@link HealthServlet} init parameter
 * ({@link HealthServlet#PARAMETERS}, the one list) can be given as a context parameter with the prefix
 * {@value #PREFIX}, e.g. {@code vigil.health.status-policy}: the same prefix as MicroProfile Config and Spring Boot.
 * The former prefix {@value #DEPRECATED_PREFIX} is still read, with a deprecation warning, for one release.
 * Registers nothing when a servlet of that name already exists.
 */
public final class HealthServletInitializer implements ServletContainerInitializer {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServletInitializer.class);

    /** Prefix of the context parameters read. */
    public static final String PREFIX = HealthSettings.PREFIX;
    /** The former prefix, still read with a deprecation warning. */
    public static final String DEPRECATED_PREFIX = "io.vigil.health.";
    /** Context parameter switching the registration on ({@code true}); default {@code false}. */
    public static final String ENABLED = PREFIX + "enabled";
    /** Context parameter: comma-separated URL patterns; default {@code /health/*}. */
    public static final String MAPPINGS = PREFIX + "mappings";
    /** Name of the registered servlet. */
    public static final String SERVLET_NAME = "vigil-health";

    /** Called by the container. */
    public HealthServletInitializer() {}

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        Function<String, String> params = HealthSettings.prefixed(PREFIX, context::getInitParameter, DEPRECATED_PREFIX)
                .andThen(v -> v.orElse(null));
        if (!"true".equalsIgnoreCase(trim(params.apply("enabled")))) {
            return;
        }
        ServletRegistration.Dynamic servlet = context.addServlet(SERVLET_NAME, HealthServlet.class);
        if (servlet == null) {
            LOG.atInfo().log("a servlet named " + SERVLET_NAME + " exists already; health servlet not registered");
            return;
        }
        for (String name : HealthServlet.PARAMETERS) {
            String value = params.apply(name);
            if (value != null) {
                servlet.setInitParameter(name, value.trim());
            }
        }
        servlet.setLoadOnStartup(1);
        String mappings = trim(params.apply("mappings"));
        String[] patterns = (mappings == null || mappings.isEmpty() ? "/health/*" : mappings).split(",");
        for (int i = 0; i < patterns.length; i++) {
            patterns[i] = patterns[i].trim();
        }
        Set<String> conflicts = servlet.addMapping(patterns);
        if (!conflicts.isEmpty()) {
            LOG.atWarn()
                    .addKeyValue("patterns", conflicts)
                    .log("health servlet mappings already taken by other servlets: {}", conflicts);
        }
    }

    private static @Nullable String trim(@Nullable String s) {
        return s == null ? null : s.trim();
    }
}
