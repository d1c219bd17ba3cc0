package io.vigil.health.server;

import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.DetailsAuthorizer;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.internal.util.Require;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Serves the health endpoints over HTTP/1.1 with nothing but the JDK, for services without a web framework
 * (batch workers, queue consumers) and for management ports:
 *
 * <pre>{@code
 * JdkHealthServer server = JdkHealthServer.start(registry, 9090);   // GET http://host:9090/health/ready
 * }</pre>
 *
 * With {@link Builder#metrics(Supplier)} the same port also serves {@code GET /metrics} in the Prometheus text
 * format — probes and metrics on one management port:
 *
 * <pre>{@code
 * JdkHealthServer server = JdkHealthServer.builder(HealthHandler.builder(registry).build())
 *         .port(9090).metrics(prometheusMeterRegistry::scrape).start();
 * }</pre>
 *
 * A thin shell around {@link HealthHandler} on a small non-blocking server built for abusive clients: one
 * selector thread reads every connection's request head without blocking, so slow, idle, half-closed and oversized
 * clients cost a socket and a bounded buffer, never a request thread, and a probe always finds a thread. Only
 * complete requests reach the request threads ({@link Builder#threads}). At {@link Builder#maxConnections} a new
 * connection takes the place of the oldest idle one (no request in progress) and is refused only when every
 * connection is busy, so idle keep-alive connections never lock kubelet out; heads beyond
 * {@link Builder#maxHeaderBytes} or {@link Builder#maxHeaderCount} get 431; a connection that does not deliver a
 * complete request head within {@link Builder#requestTimeout} is closed. The server sets no JVM-wide system
 * property. Thread-safe.
 */
public final class JdkHealthServer implements AutoCloseable {
    private final NioHttpServer server;
    private final HealthHandler handler;
    private final DetailsAuthorizer<List<String>> authorizer; // over the Authorization header's values
    private final Duration closeTimeout;
    private final @Nullable MetricsEndpoint metrics;

    private JdkHealthServer(Builder b) throws IOException {
        this.handler = b.handler;
        this.metrics = b.metrics == null ? null : new MetricsEndpoint(b.metrics);
        DetailsAuthorizer<String> a = b.authorizer;
        this.authorizer = values -> values.size() == 1 && a.authorizes(values.get(0));
        this.closeTimeout = b.closeTimeout;
        this.server = new NioHttpServer(
                b.address,
                new NioHttpServer.Limits(
                        b.maxConnections, b.maxHeaderBytes, b.maxHeaderCount, b.requestTimeout, b.threads),
                handler.clock(),
                this::exchange);
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
     * @return a builder (port 9090 on all interfaces, 4 threads, nobody authorized, the limits of the builder's
     *     methods)
     */
    public static Builder builder(HealthHandler handler) {
        return new Builder(handler);
    }

    /** @return the bound port */
    public int port() {
        return server.port();
    }

    /** @return connections open now (for tests) */
    int openConnections() {
        return server.openConnections();
    }

    /** @return complete requests waiting for a request thread (for tests) */
    int queuedRequests() {
        return server.queuedRequests();
    }

    /**
     * Stops the server in order: new connections are refused at once, connections without a request in progress
     * are closed, requests in progress get their answer (with {@code Connection: close}) for up to the
     * {@link Builder#closeTimeout close timeout}, then every connection is closed. Request threads are never
     * interrupted, so checks that run for a request in progress are not cut short. Idempotent.
     */
    @Override
    public void close() {
        server.close(closeTimeout);
    }

    private HealthResponse exchange(RequestHead head) {
        if (metrics != null && metrics.serves(head.path())) {
            return metrics.answer(head.method());
        }
        List<String> auth = head.headers().get("authorization");
        return handler.handle(
                HealthRequest.builder(head.method(), head.path())
                        .query(head.query())
                        .accept(head.header("accept"))
                        .credentials(auth != null)
                        .build(),
                auth != null ? auth : List.of(),
                authorizer);
    }

    /** Builds and starts a {@link JdkHealthServer}. Not thread-safe. */
    public static final class Builder {
        private final HealthHandler handler;
        private InetSocketAddress address = new InetSocketAddress(9090);
        private int threads = 4;
        private DetailsAuthorizer<String> authorizer = DetailsAuthorizer.nobody();
        private int maxConnections = 4096;
        private int maxHeaderBytes = 8 * 1024;
        private int maxHeaderCount = 100;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration closeTimeout = Duration.ofSeconds(5);
        private @Nullable Supplier<String> metrics;

        Builder(HealthHandler handler) {
            this.handler = Objects.requireNonNull(handler, "handler");
        }

        /**
         * @param value port on all interfaces; 0 for ephemeral
         * @return this builder
         * @throws IllegalArgumentException if not in 0..65535
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
         * @param value request threads (default 4): how many complete requests are answered at once; a probe
         *              holds one for at most its checks' timeout. Slow or idle clients never hold one.
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder threads(int value) {
            threads = Require.atLeast(value, 1, "threads");
            return this;
        }

        /**
         * @param value most connections open at once (default 4096); at the cap a new connection closes the oldest
         *              idle one (no request in progress), or is itself closed when every connection is busy. Keep
         *              it below the process's file descriptor limit.
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxConnections(int value) {
            maxConnections = Require.atLeast(value, 1, "maxConnections");
            return this;
        }

        /**
         * @param value most bytes of a request head, request line and header fields together (default 8192, as
         *              Jetty and Tomcat); a longer head is answered 431 and its connection closed. Buffers for
         *              heads take at most {@code maxConnections × maxHeaderBytes} (32 MiB by default).
         * @return this builder
         * @throws IllegalArgumentException if below 1024
         */
        public Builder maxHeaderBytes(int value) {
            maxHeaderBytes = Require.atLeast(value, 1024, "maxHeaderBytes");
            return this;
        }

        /**
         * @param value most header fields of a request (default 100); more are answered 431
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxHeaderCount(int value) {
            maxHeaderCount = Require.atLeast(value, 1, "maxHeaderCount");
            return this;
        }

        /**
         * @param value how long a connection may take to deliver a complete request head, counted from when it was
         *              accepted or its previous answer was sent (default 10 s; also the idle time of a kept-alive
         *              connection, and the time a client may take to read an answer); the connection is closed
         *              after it
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration value) {
            requestTimeout = Require.positive(value, "requestTimeout");
            return this;
        }

        /**
         * @param value how long {@link JdkHealthServer#close()} waits for requests in progress to be answered
         *              (default 5 s)
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder closeTimeout(Duration value) {
            closeTimeout = Require.notNegative(value, "closeTimeout");
            return this;
        }

        /**
         * Decides from the {@code Authorization} header whether a caller may see details (with
         * {@link DetailsPolicy#WHEN_AUTHORIZED}, and only under that policy); e.g. a constant-time bearer token
         * comparison. The header value is never logged. A request without one or with more than one
         * {@code Authorization} header is not authorized, and the authorizer is not called for it.
         *
         * @param value decides on the header value
         * @return this builder
         */
        public Builder authorizer(DetailsAuthorizer<String> value) {
            authorizer = Objects.requireNonNull(value, "authorizer");
            return this;
        }

        /**
         * Serves {@code GET /metrics} (and {@code HEAD}) on the same port as the probes, with the text the supplier
         * returns as {@code text/plain; version=0.0.4; charset=utf-8} (the Prometheus text format), e.g.
         * {@code prometheusMeterRegistry::scrape}. The supplier is called on a request thread for each scrape; if it
         * throws, the answer is 500 with an OperationOutcome and nothing of the exception. Other methods get 405.
         * Without it (the default) {@code /metrics} is whatever the handler answers there (404).
         *
         * @param scrape the exposition text of every meter, e.g. {@code PrometheusMeterRegistry::scrape}
         * @return this builder
         */
        public Builder metrics(Supplier<String> scrape) {
            metrics = Objects.requireNonNull(scrape, "scrape");
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
