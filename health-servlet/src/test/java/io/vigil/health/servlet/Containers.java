package io.vigil.health.servlet;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.jaxrs.HealthApplication;
import io.vigil.health.jaxrs.HealthResource;
import jakarta.servlet.http.HttpServlet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.apache.tomcat.util.descriptor.web.LoginConfig;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.BasicAuthenticator;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Credential;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Real containers on an ephemeral loopback port, for the transport tests: Jetty 12 (ee10), Tomcat 11 embedded and
 * Jersey 3.1 on Jetty. Every container can run with BASIC authentication against two users, {@link #OPS} (role
 * {@link #ROLE}) and {@link #GUEST} (no role); authentication is optional (no security constraint), so anonymous
 * callers reach the endpoints too.
 */
public final class Containers {
    /** Role that may see details. */
    public static final String ROLE = "health-details";
    /** BASIC credentials of a user with {@link #ROLE}. */
    public static final String[] OPS = {"ops", "ops-password-4711"};
    /** BASIC credentials of a user without roles. */
    public static final String[] GUEST = {"guest", "guest-password-0815"};

    private Containers() {}

    /**
     * A started server: the URI of its context root (ending with {@code /}), how to stop it, and how many
     * connections its connector holds open.
     */
    public record Running(URI base, AutoCloseable closer, java.util.function.LongSupplier openConnections)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                closer.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("server did not stop cleanly", e);
            }
        }
    }

    /**
     * How to mount.
     *
     * @param contextPath     {@code ""} for the root context, else like {@code /app}
     * @param mappings        servlet URL patterns
     * @param lenientUris     configure the container so that ambiguous URIs ({@code %2F}) and TRACE reach the
     *                        servlet and the handler answers them; {@code false}: the container's defaults
     * @param basicAuth       optional BASIC authentication against {@link #OPS} and {@link #GUEST}
     */
    public record Mount(String contextPath, List<String> mappings, boolean lenientUris, boolean basicAuth) {
        /** Root context, everything mapped to the health endpoints, lenient URIs, no authentication. */
        public static Mount root() {
            return new Mount("", List.of("/*"), true, false);
        }

        /**
         * @param patterns URL patterns
         * @return this mount with other mappings
         */
        public Mount mappedAt(String... patterns) {
            return new Mount(contextPath, List.of(patterns), lenientUris, basicAuth);
        }

        /**
         * @param path context path like {@code /app}
         * @return this mount in that context
         */
        public Mount inContext(String path) {
            return new Mount(path, mappings, lenientUris, basicAuth);
        }

        /** @return this mount with BASIC authentication */
        public Mount withBasicAuth() {
            return new Mount(contextPath, mappings, lenientUris, true);
        }

        /** @return this mount with the container's default URI rules */
        public Mount withDefaultUriRules() {
            return new Mount(contextPath, mappings, false, basicAuth);
        }
    }

    /** The three container transports of this module. */
    public enum Transport {
        /** {@link HealthServlet} in Jetty 12 ee10. */
        JETTY,
        /** {@link HealthServlet} in Tomcat 11 embedded. */
        TOMCAT,
        /** {@link HealthApplication} in Jersey 3.1's servlet on Jetty 12 ee10. */
        JERSEY;

        /**
         * Starts the endpoints in the root context at {@code /*}.
         *
         * @param handler             the handler
         * @param authorizationHeader decides from the {@code Authorization} header value (absent: not authorized)
         * @return the running server
         */
        public Running start(HealthHandler handler, Predicate<String> authorizationHeader) {
            return start(handler, null, authorizationHeader, Mount.root());
        }

        /**
         * @param handler             the handler
         * @param role                details role, or null
         * @param authorizationHeader predicate on the {@code Authorization} header, or null
         * @param mount               where and how
         * @return the running server
         */
        public Running start(HealthHandler handler, String role, Predicate<String> authorizationHeader, Mount mount) {
            if (this == JERSEY) {
                HealthResource.Builder b = HealthResource.builder(handler);
                if (role != null) {
                    b.role(role);
                }
                if (authorizationHeader != null) {
                    b.authorizer(h -> test(authorizationHeader, h.getHeaderString("Authorization")));
                }
                HttpServlet jersey =
                        new ServletContainer(ResourceConfig.forApplication(new HealthApplication(b.build())));
                return jetty(jersey, mount);
            }
            HealthServlet.Builder b = HealthServlet.builder(handler);
            if (role != null) {
                b.role(role);
            }
            if (authorizationHeader != null) {
                b.authorizer(r -> test(authorizationHeader, r.getHeader("Authorization")));
            }
            return start(b.build(), mount);
        }

        /**
         * @param servlet any servlet (JETTY and JERSEY both use Jetty)
         * @param mount   where and how
         * @return the running server
         */
        public Running start(HttpServlet servlet, Mount mount) {
            return this == TOMCAT ? tomcat(servlet, mount) : jetty(servlet, mount);
        }
    }

    private static boolean test(Predicate<String> p, String header) {
        return header != null && p.test(header);
    }

    /**
     * @param servlet the servlet
     * @param mount   where and how
     * @return Jetty 12 serving it
     */
    public static Running jetty(HttpServlet servlet, Mount mount) {
        QueuedThreadPool threads = new QueuedThreadPool(220, 8);
        threads.setName("jetty-test");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(8192); // docs/servlet.md "Under abusive clients": heads beyond it get 431
        if (mount.lenientUris()) {
            // Jetty 12 answers ambiguous URIs (%2F, encoded dot segments) with its own 400 page by default;
            // LEGACY lets them through so that the handler answers with an OperationOutcome
            http.setUriCompliance(UriCompliance.LEGACY);
        }
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setAcceptQueueSize(256);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(4096, connector));
        ServletContextHandler context =
                new ServletContextHandler(mount.contextPath().isEmpty() ? "/" : mount.contextPath());
        if (mount.lenientUris()) {
            context.getServletHandler().setDecodeAmbiguousURIs(true);
        }
        ServletHolder holder = new ServletHolder("health", servlet);
        for (String pattern : mount.mappings()) {
            context.addServlet(holder, pattern);
        }
        if (mount.basicAuth()) {
            HashLoginService login = new HashLoginService("vigil-test");
            UserStore users = new UserStore();
            users.addUser(OPS[0], Credential.getCredential(OPS[1]), new String[] {ROLE});
            users.addUser(GUEST[0], Credential.getCredential(GUEST[1]), new String[0]);
            login.setUserStore(users);
            ConstraintSecurityHandler security = new ConstraintSecurityHandler();
            security.setLoginService(login);
            security.setAuthenticator(new BasicAuthenticator());
            security.setRealmName("vigil-test");
            context.setSecurityHandler(security);
        }
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("Jetty did not start", e);
        }
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + mount.contextPath() + "/");
        return new Running(
                base, server::stop, () -> connector.getConnectedEndPoints().size());
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception ignored) {
            // the start failure is what matters
        }
    }

    /**
     * @param servlet the servlet
     * @param mount   where and how
     * @return Tomcat 11 serving it
     */
    public static Running tomcat(HttpServlet servlet, Mount mount) {
        Path baseDir = tempDir("tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = connector(mount);
        tomcat.setConnector(connector);
        quietErrorPages(tomcat);
        Context context = tomcat.addContext(mount.contextPath(), baseDir.toString());
        Tomcat.addServlet(context, "health", servlet);
        for (String pattern : mount.mappings()) {
            context.addServletMappingDecoded(pattern, "health");
        }
        if (mount.basicAuth()) {
            basicAuth(tomcat, context);
        }
        return startTomcat(tomcat, connector, mount.contextPath(), baseDir);
    }

    static Connector connector(Mount mount) {
        Connector connector = new Connector("HTTP/1.1");
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("acceptCount", "256");
        // docs/servlet.md "Under abusive clients"
        connector.setProperty("maxConnections", "4096");
        connector.setProperty("connectionTimeout", "20000");
        connector.setProperty("maxHttpHeaderSize", "8192");
        connector.setProperty("maxHeaderCount", "100");
        if (mount.lenientUris()) {
            // Tomcat rejects %2F with its own 400 page and TRACE with its own 405 by default
            connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
            connector.setAllowTrace(true);
        }
        return connector;
    }

    /**
     * Tomcat's default error page for requests it refuses itself (e.g. a request line over its limit) shows the
     * exception and the server version; the documented setting switches both off.
     */
    static void quietErrorPages(Tomcat tomcat) {
        ErrorReportValve errors = new ErrorReportValve();
        errors.setShowReport(false);
        errors.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errors);
    }

    static void basicAuth(Tomcat tomcat, Context context) {
        tomcat.addUser(OPS[0], OPS[1]);
        tomcat.addRole(OPS[0], ROLE);
        tomcat.addUser(GUEST[0], GUEST[1]);
        LoginConfig login = new LoginConfig();
        login.setAuthMethod("BASIC");
        login.setRealmName("vigil-test");
        context.setLoginConfig(login);
        context.addSecurityRole(ROLE);
        // no constraint: anonymous callers pass; credentials that are sent are checked nevertheless
        context.setPreemptiveAuthentication(true);
        context.getPipeline().addValve(new org.apache.catalina.authenticator.BasicAuthenticator());
    }

    static Running startTomcat(Tomcat tomcat, Connector connector, String contextPath, Path baseDir) {
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new IllegalStateException("Tomcat did not start", e);
        }
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + contextPath + "/");
        return new Running(
                base,
                () -> {
                    try {
                        tomcat.stop();
                        tomcat.destroy();
                    } finally {
                        deleteTree(baseDir);
                    }
                },
                () -> {
                    // Tomcat's acceptor counts the connection it waits for before accepting it
                    long counted = ((org.apache.coyote.AbstractProtocol<?>) connector.getProtocolHandler())
                            .getConnectionCount();
                    return Math.max(0, counted - 1);
                });
    }

    static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory("vigil-" + prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
