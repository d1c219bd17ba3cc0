package io.vigil.health.bench.http;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.bench.Fixtures;
import io.vigil.health.bench.NamedCheck;
import io.vigil.health.servlet.HealthServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server wrk.sh loads: one Jetty 12 server on loopback with {@code /health/*} served by {@link HealthServlet}
 * over ten trivial checks with the default policy (cached for 1 s), and {@code /constant}, a servlet that answers a
 * constant 200-byte JSON body with the same headers: the ceiling of this transport. Usage:
 * {@code JettyApp [port]} (0 or none: any free port); prints {@code PORT=n} once it listens and runs until killed.
 */
public final class JettyApp implements AutoCloseable {
    /** The constant body: 200 bytes of JSON. */
    static final byte[] CONSTANT = constantBody();

    private final Server server;
    private final HealthRegistry registry;

    private JettyApp(int port) throws Exception {
        registry = HealthRegistry.builder().startedImmediately().build();
        for (NamedCheck c : Fixtures.trivial(10)) {
            registry.register(c.name(), () -> {
                c.body().run();
                return CheckResult.up();
            });
        }
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new HealthServlet(registry)), "/health/*");
        context.addServlet(new ServletHolder(new ConstantServlet()), "/constant");
        server.setHandler(context);
        server.start();
    }

    /**
     * @param port a port, or 0 for any free one
     * @return the started server
     * @throws Exception when Jetty cannot start
     */
    public static JettyApp start(int port) throws Exception {
        return new JettyApp(port);
    }

    /** @return the base URI, e.g. {@code http://127.0.0.1:41234} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    @Override
    public void close() {
        try {
            server.stop();
            registry.close();
        } catch (Exception e) { // stopping is the last thing a test does: fail it, loudly
            throw new IllegalStateException("could not stop the server", e);
        }
    }

    /**
     * @param args optional port
     * @throws Exception when Jetty cannot start
     */
    public static void main(String[] args) throws Exception {
        JettyApp app = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
        System.out.println("PORT=" + app.uri().getPort());
        System.out.flush();
        app.server.join();
    }

    private static byte[] constantBody() {
        String head = "{\"status\":\"UP\",\"padding\":\"";
        String tail = "\"}";
        char[] pad = new char[200 - head.length() - tail.length()];
        Arrays.fill(pad, 'x');
        byte[] body = (head + new String(pad) + tail).getBytes(StandardCharsets.UTF_8);
        if (body.length != 200) {
            throw new IllegalStateException("constant body is " + body.length + " bytes");
        }
        return body;
    }

    /** Answers the constant body with the headers the health servlet sends. */
    static final class ConstantServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setStatus(200);
            response.setContentType("application/json");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setContentLength(CONSTANT.length);
            response.getOutputStream().write(CONSTANT);
        }
    }
}
