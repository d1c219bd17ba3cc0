package io.vigil.health.endpoint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vigil.health.HealthRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Serves the health endpoints on the JDK's built-in {@code com.sun.net.httpserver.HttpServer}, for services
 * without a web framework (batch workers, queue consumers):
 *
 * <pre>{@code
 * JdkHealthServer server = JdkHealthServer.start(registry, 9090);   // GET http://host:9090/health/ready
 * }</pre>
 *
 * A thin shell around {@link HealthHandler}. Requests run on a small bounded pool of daemon threads.
 */
public final class JdkHealthServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final HealthHandler handler;
    private final Predicate<String> authorizer;

    private JdkHealthServer(Builder b) throws IOException {
        this.handler = b.handler;
        this.authorizer = b.authorizer;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(1024),
                r -> {
                    Thread t = new Thread(r, "vigil-health-http-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.server = HttpServer.create(b.address, 128);
        server.createContext("/", this::exchange);
        server.setExecutor(pool);
        server.start();
    }

    /**
     * Starts a server on all interfaces with the default handler (base {@code /health}, details never shown).
     *
     * @param registry the registry
     * @param port     TCP port, 0 for an ephemeral one
     * @return the running server
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static JdkHealthServer start(HealthRegistry registry, int port) {
        return builder(HealthHandler.builder(registry).build()).port(port).start();
    }

    /**
     * @param handler the handler to serve
     * @return a builder (port 9090 on all interfaces, 4 threads, nobody authorized)
     */
    public static Builder builder(HealthHandler handler) {
        return new Builder(handler);
    }

    /** @return the bound port */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting, waits up to one second for exchanges in progress, stops the threads. */
    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void exchange(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            boolean authorized = auth != null && authorizer.test(auth);
            HealthRequest req = new HealthRequest(ex.getRequestMethod(), ex.getRequestURI().getRawPath(),
                    ex.getRequestURI().getRawQuery(), String.join(",", ex.getRequestHeaders()
                    .getOrDefault("Accept", java.util.List.of())), authorized);
            HealthResponse resp = handler.handle(req);
            for (Map.Entry<String, String> h : resp.headers().entrySet()) {
                ex.getResponseHeaders().set(h.getKey(), h.getValue());
            }
            int length = resp.body().length;
            if (resp.head() || length == 0) {
                if (resp.head()) {
                    ex.getResponseHeaders().set("Content-Length", Integer.toString(length));
                }
                ex.sendResponseHeaders(resp.status(), -1);
            } else {
                ex.sendResponseHeaders(resp.status(), length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(resp.body());
                }
            }
        }
    }

    /** Builds and starts a {@link JdkHealthServer}. */
    public static final class Builder {
        private final HealthHandler handler;
        private InetSocketAddress address = new InetSocketAddress(9090);
        private int threads = 4;
        private Predicate<String> authorizer = header -> false;

        Builder(HealthHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * @param value port on all interfaces; 0 for ephemeral
         * @return this builder
         */
        public Builder port(int value) {
            address = new InetSocketAddress(value);
            return this;
        }

        /**
         * @param value address to bind, e.g. loopback only
         * @return this builder
         */
        public Builder address(InetSocketAddress value) {
            address = Objects.requireNonNull(value, "address");
            return this;
        }

        /**
         * @param value request threads (default 4); a probe waits at most its checks' timeout
         * @return this builder
         */
        public Builder threads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("threads must be at least 1");
            }
            threads = value;
            return this;
        }

        /**
         * Decides from the {@code Authorization} header whether a caller may see details (with
         * {@link DetailsPolicy#WHEN_AUTHORIZED}); e.g. a constant-time bearer token comparison. The header value
         * is never logged.
         *
         * @param value predicate on the header value
         * @return this builder
         */
        public Builder authorizer(Predicate<String> value) {
            authorizer = Objects.requireNonNull(value, "authorizer");
            return this;
        }

        /**
         * @return the running server
         * @throws UncheckedIOException if the address cannot be bound
         */
        public JdkHealthServer start() {
            try {
                return new JdkHealthServer(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind " + address, e);
            }
        }
    }
}
