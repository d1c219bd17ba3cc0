package io.vigil.health.servlet;

import io.vigil.health.HealthRegistry;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.DetailsAuthorizer;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.endpoint.ResponseSink;
import io.vigil.health.endpoint.StatusPolicy;
import io.vigil.health.internal.util.Require;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.UnavailableException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the health endpoints in any Jakarta Servlet 6 container. A thin shell around {@link HealthHandler}: the
 * handler receives the request path within the servlet context (raw, still percent-encoded), so the handler's
 * base path decides what is served and the servlet may be mapped anywhere, e.g. {@code /health/*},
 * {@code /*} on a management context, or several mappings at once.
 *
 * <p>In code:
 * <pre>{@code
 * context.addServlet("health", new HealthServlet(registry)).addMapping("/health/*");
 * }</pre>
 *
 * <p>From {@code web.xml} (no code): the no-argument constructor reads the init parameters below. The registry is
 * the {@link HealthRegistry} stored in the servlet context attribute {@value #DEFAULT_REGISTRY_ATTRIBUTE} (put there
 * by the application); without one the servlet builds its own with {@link HealthRegistry.Builder#discoverChecks()},
 * marks it started, and drains and closes it when the servlet is destroyed.
 * <table>
 *   <caption>init parameters</caption>
 *   <tr><th>name</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code registry-attribute}</td><td>{@code io.vigil.health.HealthRegistry}</td>
 *       <td>servlet context attribute holding the registry</td></tr>
 *   <tr><td>{@code discover-checks}</td><td>{@code true}</td>
 *       <td>without that attribute, build a registry from {@code ServiceLoader} check providers</td></tr>
 *   <tr><td>{@code base-path}</td><td>{@code /health}</td><td>base path within the context; empty for the root</td></tr>
 *   <tr><td>{@code version-prefixes}</td><td>none</td><td>comma-separated path segments, e.g. {@code R4,STU3}</td></tr>
 *   <tr><td>{@code details}</td><td>{@code NEVER}</td><td>{@code NEVER}, {@code ALWAYS} or {@code WHEN_AUTHORIZED}</td></tr>
 *   <tr><td>{@code details-role}</td><td>none</td><td>role that may see details with {@code WHEN_AUTHORIZED}</td></tr>
 *   <tr><td>{@code strict-microprofile}</td><td>{@code false}</td><td>emit exactly the MicroProfile Health schema</td></tr>
 *   <tr><td>{@code status-policy}</td><td>{@code defaults}</td><td>{@code defaults}, {@code consul}, {@code envoy} or
 *       {@code kubelet-safe} ({@link StatusPolicy.Preset})</td></tr>
 *   <tr><td colspan="3">and every other setting of {@link HealthSettings} under its key ({@code path-aliases},
 *       {@code json-format}, {@code page-refresh}, ...): the handler's settings are read by that one specification</td></tr>
 * </table>
 * {@link #PARAMETERS} lists them all.
 *
 * <p>Every answer, including errors for bad input, comes from the handler with an OperationOutcome body; the
 * servlet never calls {@code sendError}, so the container's error page never appears. Thread-safe once initialised.
 */
public final class HealthServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(HealthServlet.class);

    /** Default servlet context attribute under which the application stores its {@link HealthRegistry}. */
    public static final String DEFAULT_REGISTRY_ATTRIBUTE = "io.vigil.health.HealthRegistry";
    /** Init parameter: servlet context attribute holding the registry. */
    public static final String REGISTRY_ATTRIBUTE = "registry-attribute";
    /** Init parameter: build a registry from discovered check providers when the attribute is absent. */
    public static final String DISCOVER_CHECKS = "discover-checks";
    /** Init parameter: the handler's base path. */
    public static final String BASE_PATH = "base-path";
    /** Init parameter: comma-separated version prefixes. */
    public static final String VERSION_PREFIXES = "version-prefixes";
    /** Init parameter: the details policy. */
    public static final String DETAILS = "details";
    /** Init parameter: the role whose members see details with {@code WHEN_AUTHORIZED}. */
    public static final String DETAILS_ROLE = "details-role";
    /** Init parameter: strict MicroProfile Health JSON. */
    public static final String STRICT_MICROPROFILE = "strict-microprofile";
    /** Init parameter: the status policy preset. */
    public static final String STATUS_POLICY = "status-policy";
    /**
     * Init parameter: {@code true} serves the operator's out-of-service control
     * ({@link HealthHandler.Builder#operatorControl(boolean)}) to members of the {@link #DETAILS_ROLE details role}.
     */
    public static final String OPERATOR_CONTROL = "operator-control";
    /**
     * Every init parameter the servlet reads: its own ({@link #REGISTRY_ATTRIBUTE}, {@link #DISCOVER_CHECKS},
     * {@link #DETAILS_ROLE}) and every key of {@link HealthSettings#endpoint()}. The one list: the initializer passes
     * exactly these on from context parameters.
     */
    public static final List<String> PARAMETERS = parameters();

    private transient volatile @Nullable HealthHandler handler; // set by a constructor or init(ServletConfig)
    private transient volatile DetailsAuthorizer<HttpServletRequest> authorizer = DetailsAuthorizer.nobody();
    private transient volatile @Nullable HealthRegistry owned;

    /** Configured from init parameters when the container initialises it (for {@code web.xml}). */
    public HealthServlet() {}

    /**
     * Serves a registry with the default handler: base {@code /health}, details never shown.
     *
     * @param registry the registry; not closed by the servlet
     */
    public HealthServlet(HealthRegistry registry) {
        this(HealthHandler.builder(Objects.requireNonNull(registry, "registry")).build());
    }

    /**
     * Serves a handler; nobody is authorized to see details unless the handler's policy is {@code ALWAYS}.
     *
     * @param handler the handler
     */
    public HealthServlet(HealthHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
    }

    private HealthServlet(Builder b) {
        this.handler = b.handler;
        this.authorizer = b.role.or(b.authorizer);
    }

    /**
     * @param handler the handler to serve
     * @return a builder for a servlet with a details role or an authorizer
     */
    public static Builder builder(HealthHandler handler) {
        return new Builder(handler);
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        if (handler != null) {
            return;
        }
        String attribute = param(config, REGISTRY_ATTRIBUTE, DEFAULT_REGISTRY_ATTRIBUTE);
        Object value = config.getServletContext().getAttribute(attribute);
        HealthRegistry registry;
        if (value instanceof HealthRegistry r) {
            registry = r;
        } else if (value != null) {
            throw new UnavailableException("servlet context attribute " + attribute + " is a "
                    + value.getClass().getName() + ", not a HealthRegistry");
        } else if (bool(config, DISCOVER_CHECKS, true)) {
            registry = HealthRegistry.builder().discoverChecks().build();
            registry.markStarted();
            owned = registry;
            LOG.atInfo()
                    .addKeyValue("checks", registry.checkNames().size())
                    .log("health servlet built its own registry from discovered check providers");
        } else {
            throw new UnavailableException("no HealthRegistry in servlet context attribute " + attribute + " and "
                    + DISCOVER_CHECKS + " is false");
        }
        try {
            handler = HealthSettings.read(key -> Optional.ofNullable(config.getInitParameter(key)))
                    .handler(registry);
            String r = param(config, DETAILS_ROLE, "");
            if (!r.isEmpty()) {
                authorizer = inRole(r);
            }
        } catch (IllegalArgumentException e) {
            closeOwned();
            throw new UnavailableException("invalid health servlet init parameter: " + e.getMessage());
        }
    }

    private static List<String> parameters() {
        List<String> p = new ArrayList<>(List.of(REGISTRY_ATTRIBUTE, DISCOVER_CHECKS, DETAILS_ROLE));
        HealthSettings.endpoint().forEach(s -> p.add(s.key()));
        return List.copyOf(p);
    }

    private static String param(ServletConfig config, String name, String fallback) {
        String v = config.getInitParameter(name);
        return v == null ? fallback : v.trim();
    }

    private static boolean bool(ServletConfig config, String name, boolean fallback) throws UnavailableException {
        String v = param(config, name, Boolean.toString(fallback));
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new UnavailableException("init parameter " + name + " must be true or false");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean credentials = request.getHeader("Authorization") != null || request.getUserPrincipal() != null;
        HealthHandler h = Objects.requireNonNull(handler, "the container calls init(ServletConfig) first");
        HealthResponse answer = h.handle(
                HealthRequest.builder(request.getMethod(), pathWithinContext(request))
                        .query(request.getQueryString())
                        .accept(accept(request))
                        .credentials(credentials)
                        .build(),
                request,
                authorizer);
        send(answer, response);
    }

    private static DetailsAuthorizer<HttpServletRequest> inRole(String role) {
        return request -> request.isUserInRole(role);
    }

    /**
     * The raw request path within the context: the request URI without the context path. When a container
     * matched the context on a decoded form that the raw URI does not start with, the decoded servlet path and
     * path info are re-encoded instead.
     */
    static String pathWithinContext(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri != null && context != null && uri.startsWith(context)) {
            return uri.substring(context.length());
        }
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return encodePath((servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo));
    }

    private static String encodePath(String decoded) {
        StringBuilder sb = new StringBuilder(decoded.length());
        for (byte b : decoded.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && c != '%' && c != '?' && c != '#') {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static @Nullable String accept(HttpServletRequest request) {
        java.util.Enumeration<String> values = request.getHeaders("Accept");
        if (values == null || !values.hasMoreElements()) {
            return null;
        }
        String first = values.nextElement();
        if (!values.hasMoreElements()) {
            return first;
        }
        StringBuilder sb = new StringBuilder(first);
        while (values.hasMoreElements()) {
            sb.append(',').append(values.nextElement());
        }
        return sb.toString();
    }

    /**
     * Sends a handler response through the container: status, headers, {@code Content-Length} and body as
     * {@link HealthResponse#writeTo} rules them (no body for HEAD; neither for 204), the bytes as they are. Also for
     * adapters that answer before a handler exists, e.g. with {@link HealthResponse#machineryFailure}.
     *
     * @param answer   the response
     * @param response the container's response, not yet committed
     * @throws IOException from the container
     */
    public static void send(HealthResponse answer, HttpServletResponse response) throws IOException {
        answer.writeTo(new ResponseSink() {
            @Override
            public void status(int code) {
                response.setStatus(code);
            }

            @Override
            public void header(String name, String value) {
                if (name.equalsIgnoreCase("Content-Type")) {
                    response.setContentType(value);
                } else if (name.equalsIgnoreCase("Content-Length")) {
                    response.setContentLengthLong(Long.parseLong(value));
                } else {
                    response.setHeader(name, value);
                }
            }

            @Override
            public void body(byte[] bytes) throws IOException {
                response.getOutputStream().write(bytes);
                response.getOutputStream().flush();
            }
        });
    }

    @Override
    public void destroy() {
        closeOwned();
    }

    private void closeOwned() {
        HealthRegistry r = owned;
        if (r != null) {
            owned = null;
            r.startDraining();
            r.close();
        }
    }

    /** Builds a {@link HealthServlet} bound to the container's security. Not thread-safe. */
    public static final class Builder {
        private final HealthHandler handler;
        private DetailsAuthorizer<HttpServletRequest> role = DetailsAuthorizer.nobody();
        private DetailsAuthorizer<HttpServletRequest> authorizer = DetailsAuthorizer.nobody();

        Builder(HealthHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * With {@link DetailsPolicy#WHEN_AUTHORIZED}, callers for whom {@link HttpServletRequest#isUserInRole}
         * holds see details. The container authenticates (a security constraint on the mapping).
         *
         * @param value role name
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder role(String value) {
            Require.notBlank(value, "role");
            role = inRole(value);
            return this;
        }

        /**
         * With {@link DetailsPolicy#WHEN_AUTHORIZED}, callers for whom the predicate holds see details, e.g. a
         * constant-time comparison of a bearer token in the {@code Authorization} header. Combined with
         * {@link #role(String)} by "or". Consulted only under that policy; called on the request thread; must be
         * thread-safe.
         *
         * @param value decides on the request
         * @return this builder
         */
        public Builder authorizer(DetailsAuthorizer<HttpServletRequest> value) {
            authorizer = Objects.requireNonNull(value, "authorizer");
            return this;
        }

        /** @return the servlet */
        public HealthServlet build() {
            return new HealthServlet(this);
        }
    }
}
