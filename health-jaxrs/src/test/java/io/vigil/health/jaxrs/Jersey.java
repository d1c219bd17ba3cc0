package io.vigil.health.jaxrs;

import jakarta.ws.rs.core.Application;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * Jersey 3.1's servlet on Jetty 12 (ee10) at the root of an ephemeral loopback port, with Jetty's legacy URI rules
 * so that ambiguous URIs ({@code %2F}) reach the resource and the handler answers them.
 */
final class Jersey implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private final Server server;
    private final URI base;

    private Jersey(Server server, URI base) {
        this.server = server;
        this.base = base;
    }

    /**
     * @param app the application
     * @return Jersey serving it
     */
    static Jersey serve(Application app) {
        return serve(ResourceConfig.forApplication(app));
    }

    /**
     * @param app the resource configuration
     * @return Jersey serving it
     */
    static Jersey serve(ResourceConfig app) {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setUriCompliance(UriCompliance.LEGACY);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        context.addServlet(new ServletHolder("health", new ServletContainer(app)), "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            try {
                server.stop();
            } catch (Exception ignored) {
                // the start failure is what matters
            }
            throw new IllegalStateException("Jetty did not start", e);
        }
        return new Jersey(server, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/"));
    }

    /** @return e.g. {@code http://127.0.0.1:1234/} */
    URI base() {
        return base;
    }

    /**
     * @param method  method
     * @param path    path relative to the root, without a leading slash
     * @param headers name, value, name, value...
     * @return the response
     * @throws Exception if the exchange fails
     */
    HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) { // stopping is the last thing a test does: fail it, loudly
            throw new IllegalStateException("could not stop the server", e);
        }
    }
}
