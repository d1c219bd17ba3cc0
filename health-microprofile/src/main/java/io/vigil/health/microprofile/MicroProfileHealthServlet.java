package io.vigil.health.microprofile;

import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.servlet.HealthServlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link MicroProfileHealth} at {@code /health}, {@code /health/live}, {@code /health/ready} and
 * {@code /health/started} (map it to {@code /health/*}; {@link MicroProfileHealthInitializer} does so). The
 * instance is the servlet context attribute {@link MicroProfileHealth#ATTRIBUTE} if set, otherwise the one of
 * {@link MicroProfileHealthExtension} in the application's CDI container; it is looked up on the first request
 * and the requests are then handled by a {@link HealthServlet}. While neither exists the machinery is missing
 * and every request answers 500 with an OperationOutcome, through the same response path and with the same headers
 * as every other answer. Thread-safe.
 */
public final class MicroProfileHealthServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(MicroProfileHealthServlet.class);

    private transient volatile @Nullable HealthServlet delegate;
    private final java.util.concurrent.atomic.AtomicBoolean reported = new java.util.concurrent.atomic.AtomicBoolean();

    /** Called by the container. */
    public MicroProfileHealthServlet() {}

    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        HealthServlet d = delegate;
        if (d == null) {
            d = resolve();
        }
        if (d == null) {
            unavailable((HttpServletRequest) request, (HttpServletResponse) response);
            return;
        }
        d.service(request, response);
    }

    private synchronized @Nullable HealthServlet resolve() throws ServletException {
        if (delegate != null) {
            return delegate;
        }
        MicroProfileHealth health = find(getServletContext());
        if (health == null) {
            return null;
        }
        HealthServlet s = new HealthServlet(health.handler());
        s.init(getServletConfig());
        delegate = s;
        return s;
    }

    static @Nullable MicroProfileHealth find(ServletContext context) {
        Object value = context.getAttribute(MicroProfileHealth.ATTRIBUTE);
        if (value instanceof MicroProfileHealth h) {
            return h;
        }
        return Cdi.find();
    }

    private void unavailable(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (reported.compareAndSet(false, true)) { // once, not per request
            LOG.atError()
                    .log("MicroProfile Health is not available: no servlet context attribute "
                            + MicroProfileHealth.ATTRIBUTE + " and no CDI container running "
                            + MicroProfileHealthExtension.class.getSimpleName());
        }
        HealthServlet.send(
                HealthResponse.machineryFailure(request.getMethod(), "The health machinery is not available"),
                response);
    }

    @Override
    public void destroy() {
        HealthServlet d = delegate;
        if (d != null) {
            d.destroy();
        }
    }

    /** Touches CDI classes only when they are on the class path. */
    private static final class Cdi {
        static @Nullable MicroProfileHealth find() {
            try {
                Class.forName(
                        "jakarta.enterprise.inject.spi.CDI", false, MicroProfileHealthServlet.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
            try {
                return jakarta.enterprise
                        .inject
                        .spi
                        .CDI
                        .current()
                        .getBeanManager()
                        .getExtension(MicroProfileHealthExtension.class)
                        .health();
            } catch (IllegalStateException | IllegalArgumentException e) {
                return null; // no container for this application, or the extension is not deployed
            }
        }
    }
}
