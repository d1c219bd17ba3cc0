package io.vigil.health.example;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Secrets;
import io.vigil.health.checks.DeadlockCheck;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.grpc.VigilHealthService;
import io.vigil.health.http.HttpCheck;
import io.vigil.health.jdbc.DataSourceCheck;
import io.vigil.health.kafka.KafkaCheck;
import io.vigil.health.license.SignedLicenseFile;
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.rabbitmq.RabbitMqCheck;
import io.vigil.health.redis.RedisProbeCheck;
import io.vigil.health.servlet.HealthServlet;
import io.vigil.health.signals.DiskCheck;
import io.vigil.health.signals.MemoryCheck;
import io.vigil.health.signals.MeterCheck;
import io.vigil.health.signals.MeterQuery;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reference service: every Vigil Health feature working together in one small program.
 *
 * <ul>
 *   <li>Port {@code VIGIL_HTTP_PORT} (8080), Jetty 12: the health servlet ({@code /health}, {@code /health/live},
 *       {@code /health/ready}, {@code /health/started}, {@code /health/group/dependencies}, {@code /livez},
 *       {@code /readyz}, {@code /healthz}, {@code /$liveness}, {@code /$readiness}, all also under {@code /R4/}),
 *       the API ({@code /api/notes}, {@code /api/work}) and the admin endpoints ({@code /admin/tasks/reindex},
 *       {@code /health/out-of-service}).</li>
 *   <li>Port {@code VIGIL_MANAGEMENT_PORT} (9090): {@code /metrics} for Prometheus (health, JVM, threads, process,
 *       connection pool).</li>
 *   <li>Port {@code VIGIL_GRPC_PORT} (unset: none), Netty: the standard gRPC health service
 *       ({@code grpc.health.v1.Health}; service names {@code ""}, {@code readiness}, {@code liveness},
 *       {@code startup}, {@code group/dependencies}) for Kubernetes' {@code grpc:} probes.</li>
 *   <li>Checks: {@code deadlocks} (liveness), {@code disk}, {@code db} (required, circuit breaker), {@code redis}
 *       (optional, when configured), {@code upstream} (required, circuit breaker, when configured); the last three
 *       also form the group {@code dependencies}.</li>
 *   <li>A simulated schema migration at start-up under a health lock: readiness 423, then 200.</li>
 *   <li>{@link #shutdown()} (run by the SIGTERM hook): readiness 503 at once, liveness 200, in-flight API requests
 *       finish (at most {@code VIGIL_DRAIN_SECONDS}), then the ports close.</li>
 * </ul>
 *
 * Configured by environment variables, see {@link ExampleConfig}. Thread-safe.
 */
public final class ExampleService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleService.class);
    /** How long {@link Server#stop()} may take after the drain, for connections to close. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);
    /** Circuit breaker of the database and upstream checks: opens after this many failures in a row... */
    static final int BREAKER_FAILURES = 3;
    /** ...and then lets one trial call through per this period. */
    static final Duration BREAKER_BACKOFF = Duration.ofSeconds(5);

    private final ExampleConfig config;
    private final HealthRegistry health;
    /** The broker checks' own clients, closed after the registry. */
    private final List<AutoCloseable> brokerChecks = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final HikariDataSource dataSource;
    private final PrometheusMeterRegistry meters;
    private final JvmGcMetrics gcMetrics;
    private final Reindexer reindexer;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final Thread migrationThread;
    private final Server server;
    private final ServerConnector apiConnector;
    private final ServerConnector managementConnector;
    private final VigilHealthService grpcHealth; // null without VIGIL_GRPC_PORT
    private final io.grpc.Server grpcServer; // null without VIGIL_GRPC_PORT
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private ExampleService(ExampleConfig config, Hooks hooks) throws Exception {
        this.config = config;
        LOG.atInfo().log("Vigil Health example starting with:");
        for (String line : config.describe()) {
            LOG.atInfo().log("  {}", line);
        }
        HealthRegistry.Builder hb = HealthRegistry.builder()
                .clock(hooks.clock())
                .ticker(hooks.ticker())
                .startupChecksMarkStarted(false)
                .licenseFailsLiveness(config.licenseFailsLiveness());
        if (config.licenseFile() != null) {
            hb.license(new SignedLicenseFile(
                    config.licenseFile(), publicKey(config.licensePublicKey()), Duration.ofDays(30), hooks.clock()));
        }
        health = hb.build();
        meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        gcMetrics = new JvmGcMetrics();
        HikariDataSource ds = null;
        Thread migrating = null;
        Server s = null;
        VigilHealthService gh = null;
        io.grpc.Server gs = null;
        try {
            ds = dataSource(config, meters);
            registerChecks(config, ds);
            bindMetrics();
            this.reindexer = new Reindexer(health, Hooks.Pause.SLEEP);
            StartupMigration migration = new StartupMigration(health, ds, config.migration(), hooks.migrationPause());
            migrating = new Thread(migration, "example-migration");
            migrating.setDaemon(true);
            migrating.start();
            // the lock is held before the port opens: no probe ever sees "ready" before the migration ran
            if (!migration.awaitFirstLock(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the start-up migration did not begin within 30 s");
            }
            s = new Server(threads());
            apiConnector = connector(s, "api", config.httpPort());
            managementConnector = connector(s, "management", config.managementPort());
            s.setConnectors(new Connector[] {apiConnector, managementConnector});
            s.setHandler(new ContextHandlerCollection(apiContext(ds), managementContext()));
            s.setStopTimeout(STOP_TIMEOUT.toMillis());
            s.start();
            if (config.grpcPort() != null) {
                gh = VigilHealthService.of(health);
                gs = NettyServerBuilder.forPort(config.grpcPort())
                        .addService(gh)
                        .build()
                        .start();
            }
        } catch (Exception | Error e) {
            if (migrating != null) {
                migrating.interrupt();
            }
            if (gh != null) {
                gh.close();
            }
            if (s != null) {
                s.stop();
            }
            health.close();
            gcMetrics.close();
            meters.close();
            if (ds != null) {
                ds.close();
            }
            throw e;
        }
        this.migrationThread = migrating;
        this.dataSource = ds;
        this.server = s;
        this.grpcHealth = gh;
        this.grpcServer = gs;
        LOG.atInfo().log(
                "health:  http://localhost:{}{}  ({}/live, {}/ready, {}/started, /livez, /readyz, /healthz, /$liveness,"
                        + " /$readiness, under each of the version prefixes {})",
                httpPort(),
                config.health().basePath(),
                config.health().basePath(),
                config.health().basePath(),
                config.health().basePath(),
                config.health().versionPrefixes());
        LOG.atInfo().log(
                "api:     http://localhost:{}/api/notes   admin: POST http://localhost:{}/admin/tasks/reindex",
                httpPort(),
                httpPort());
        LOG.atInfo().log("metrics: http://localhost:{}/metrics", managementPort());
        if (grpcServer != null) {
            LOG.atInfo().log(
                    "grpc:    localhost:{}  grpc.health.v1.Health (\"\", readiness, liveness, startup,"
                            + " group/dependencies)",
                    grpcPort());
        }
    }

    /**
     * Starts the service; returns when the ports are open (the start-up migration runs on).
     *
     * @param config the settings
     * @return the running service
     * @throws IllegalStateException if it cannot start (port taken, unreadable license key, ...)
     */
    public static ExampleService start(ExampleConfig config) {
        return start(config, Hooks.production());
    }

    static ExampleService start(ExampleConfig config, Hooks hooks) {
        try {
            return new ExampleService(config, hooks);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the example: " + Secrets.describe(e), e);
        }
    }

    private static HikariDataSource dataSource(ExampleConfig config, PrometheusMeterRegistry meters) {
        HikariConfig c = new HikariConfig();
        c.setPoolName("example");
        c.setJdbcUrl(config.dbUrl());
        if (!config.dbUser().isEmpty()) {
            c.setUsername(config.dbUser());
        }
        if (!config.dbPassword().isEmpty()) {
            c.setPassword(config.dbPassword());
        }
        c.setMaximumPoolSize(10);
        c.setMinimumIdle(2);
        // a borrow gives up within the check's timeout, so the check itself reports why the database is unreachable
        // (instead of the engine reporting a timeout) and its thread is free again soon (docs/jdbc.md)
        c.setConnectionTimeout(Math.max(250, config.checkTimeout().toMillis() * 3 / 4));
        c.setValidationTimeout(Math.max(250, config.checkTimeout().toMillis() / 2));
        c.setInitializationFailTimeout(-1); // start without the database: readiness says so, the migration retries
        if (config.dbUrl().startsWith("jdbc:postgresql:")) {
            long seconds = Math.max(1, (config.checkTimeout().toMillis() + 999) / 1000);
            c.addDataSourceProperty("connectTimeout", seconds);
            c.addDataSourceProperty("loginTimeout", seconds);
            c.addDataSourceProperty("socketTimeout", 30); // no connect thread stays behind on a silent network
        }
        c.setMetricRegistry(meters);
        return new HikariDataSource(c);
    }

    private void registerChecks(ExampleConfig config, DataSource ds) {
        Duration timeout = config.checkTimeout();
        CheckPolicy base = config.health().applyTo(CheckPolicy.builder()).build(); // timeout, cache-ttl
        health.register(
                "deadlocks",
                new DeadlockCheck(),
                base.toBuilder().probes(Probe.LIVENESS).build());
        health.register(
                "memory",
                MemoryCheck.builder().build(),
                base.toBuilder() // heap after GC
                        .probes(Probe.LIVENESS, Probe.READINESS)
                        .build());
        health.register(
                "disk",
                DiskCheck.builder(Path.of(System.getProperty("java.io.tmpdir")))
                        .warnBelowFreePercent(10)
                        .failBelowFreeBytes(10L << 20)
                        .build(),
                base);
        health.register(
                "in-flight",
                MeterCheck.gauge(meters, MeterQuery.of("example.api.requests.active"))
                        .unit("requests")
                        .warnAbove(48)
                        .build(),
                base); // of 64 server threads
        health.register(
                "db",
                DataSourceCheck.builder(ds).timeout(timeout).build(),
                base.toBuilder()
                        .groups("dependencies")
                        .circuitBreaker(BREAKER_FAILURES, BREAKER_BACKOFF)
                        .build());
        if (config.redisUrl() != null) {
            health.register(
                    "redis",
                    RedisProbeCheck.builder(config.redisUrl())
                            .timeout(timeout.multipliedBy(4).dividedBy(5))
                            .connectTimeout(timeout.dividedBy(2))
                            .build(),
                    base.toBuilder().optional().groups("dependencies").build());
        }
        registerBrokerChecks(config, base);
        if (config.upstreamUrl() != null) {
            health.register(
                    "upstream",
                    HttpCheck.builder(config.upstreamUrl())
                            .requestTimeout(timeout.multipliedBy(4).dividedBy(5))
                            .connectTimeout(timeout.dividedBy(2))
                            .build(),
                    base.toBuilder()
                            .groups("dependencies")
                            .circuitBreaker(BREAKER_FAILURES, BREAKER_BACKOFF)
                            .build());
        }
    }

    /** Kafka and RabbitMQ, when configured: each check owns one client, closed with the service. */
    private void registerBrokerChecks(ExampleConfig config, CheckPolicy base) {
        CheckPolicy dependency = base.toBuilder().groups("dependencies").build();
        if (config.kafkaBootstrap() != null) {
            KafkaCheck kafka = KafkaCheck.builder(Map.of("bootstrap.servers", config.kafkaBootstrap()))
                    .build();
            brokerChecks.add(kafka);
            health.register("kafka", kafka, dependency);
        }
        if (config.rabbitmqUri() != null) {
            com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
            try {
                factory.setUri(config.rabbitmqUri());
            } catch (java.net.URISyntaxException | java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("VIGIL_RABBITMQ_URI is not an amqp:// or amqps:// URI");
            }
            RabbitMqCheck rabbit = RabbitMqCheck.builder(factory).build();
            brokerChecks.add(rabbit);
            health.register("rabbitmq", rabbit, dependency);
        }
    }

    private void bindMetrics() {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        gcMetrics.bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new JvmInfoMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        new FileDescriptorMetrics().bindTo(meters);
        new HealthMetrics(health).bindTo(meters);
        Gauge.builder("example.api.requests.active", inFlight, InFlightRequests::active)
                .description("API requests being served; shutdown waits for them")
                .register(meters);
    }

    private static QueuedThreadPool threads() {
        QueuedThreadPool pool = new QueuedThreadPool(64, 4);
        pool.setName("example-http");
        return pool;
    }

    private static ServerConnector connector(Server server, String name, int port) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setName(name);
        c.setPort(port);
        return c;
    }

    private ServletContextHandler apiContext(DataSource ds) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setVirtualHosts(List.of("@api"));
        BearerToken token = BearerToken.of(config.adminToken());
        // the operator's out-of-service control (POST/DELETE <base>/out-of-service) is on by default, for the admin
        // token's holder
        // every endpoint setting from the library's one specification (VIGIL_HEALTH_*, the example's defaults)
        HealthHandler handler = config.health().handler(health);
        HealthServlet healthServlet = HealthServlet.builder(handler)
                .authorizer(request -> token.matches(request.getHeader("Authorization")))
                .build();
        // "/" is the default mapping: every path that is not API or admin goes to the health handler (404 included)
        context.addServlet(new ServletHolder("health", healthServlet), "/");
        context.addServlet(new ServletHolder("api", new ApiServlet(ds)), "/api/*");
        context.addServlet(
                new ServletHolder(
                        "admin", new AdminServlet(token, reindexer, new FaultDrills(health, config.checkTimeout()))),
                "/admin/*");
        context.addFilter(new FilterHolder(inFlight), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        return context;
    }

    private ServletContextHandler managementContext() {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.setVirtualHosts(List.of("@management"));
        context.addServlet(new ServletHolder("metrics", new MetricsServlet(meters)), "/metrics");
        return context;
    }

    private static java.security.PublicKey publicKey(String value) {
        String text = value;
        try {
            Path p = Path.of(value);
            if (!value.contains("-----BEGIN") && Files.isRegularFile(p)) {
                text = Files.readString(p);
            }
        } catch (java.nio.file.InvalidPathException e) {
            // not a path: the key itself
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read VIGIL_LICENSE_PUBLIC_KEY file", e);
        }
        try {
            return SignedLicenseFile.publicKey(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "VIGIL_LICENSE_PUBLIC_KEY is not an Ed25519 public key (PEM, Base64"
                            + " or the path of a PEM file)",
                    e);
        }
    }

    /** @return the bound API and health port */
    public int httpPort() {
        return apiConnector.getLocalPort();
    }

    /** @return the bound management ({@code /metrics}) port */
    public int managementPort() {
        return managementConnector.getLocalPort();
    }

    /** @return the bound gRPC health port, or -1 without {@code VIGIL_GRPC_PORT} */
    public int grpcPort() {
        return grpcServer == null ? -1 : grpcServer.getPort();
    }

    /** @return the service's health registry */
    public HealthRegistry health() {
        return health;
    }

    /** @return the settings it runs with */
    public ExampleConfig config() {
        return config;
    }

    HikariDataSource dataSource() {
        return dataSource;
    }

    InFlightRequests inFlight() {
        return inFlight;
    }

    /**
     * Graceful shutdown, as run by the SIGTERM hook: readiness turns 503 (gRPC: NOT_SERVING, sent to every Watch
     * stream) at once while liveness stays 200 and every port keeps answering; running admin tasks are cancelled;
     * in-flight API requests may finish for up to {@code VIGIL_DRAIN_SECONDS}; then the gRPC health service ends
     * its Watch streams, the ports close and every resource is released. Returns when done; bounded
     * by the drain time plus {@link #STOP_TIMEOUT}. Idempotent; concurrent callers wait for the first.
     */
    public void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            awaitTermination(config.drainTimeout().plus(STOP_TIMEOUT).plusSeconds(5));
            return;
        }
        long start = System.nanoTime();
        health.startDraining();
        LOG.atInfo()
                .addKeyValue("inFlight", inFlight.active())
                .log(
                        "shutting down: readiness answers 503, liveness"
                                + " 200; waiting up to {} s for {} in-flight API requests",
                        config.drainTimeout().toSeconds(),
                        inFlight.active());
        migrationThread.interrupt();
        reindexer.close();
        try {
            if (!inFlight.awaitIdle(config.drainTimeout())) {
                LOG.atWarn()
                        .log(
                                "drain time of {} s ran out with {} API requests still running; stopping anyway",
                                config.drainTimeout().toSeconds(),
                                inFlight.active());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (grpcServer != null) {
            grpcHealth.close(); // every Watch stream ends now, so it cannot hold the gRPC server's shutdown
            grpcServer.shutdown();
        }
        try {
            server.stop();
        } catch (Exception e) {
            LOG.atWarn().log("HTTP server did not stop cleanly: {}", Secrets.describe(e));
        }
        if (grpcServer != null) {
            try {
                if (!grpcServer.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    grpcServer.shutdownNow();
                }
            } catch (InterruptedException e) {
                grpcServer.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        health.close();
        for (AutoCloseable c : brokerChecks) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.atWarn().log("closing {} failed: {}", c, Secrets.describe(e));
            }
        }
        gcMetrics.close();
        meters.close();
        dataSource.close();
        LOG.atInfo().log("stopped after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        terminated.countDown();
    }

    /**
     * @param timeout longest wait
     * @return whether {@link #shutdown()} has completed
     */
    public boolean awaitTermination(Duration timeout) {
        try {
            return terminated.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Same as {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /**
     * Reads the settings from the environment, starts, and runs until SIGTERM (or Ctrl-C), then drains and exits.
     * Exits with status 2 on an invalid setting.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        ExampleConfig config;
        try {
            config = ExampleConfig.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            System.err.println("vigil-example: " + e.getMessage());
            System.exit(2);
            return;
        }
        for (String name : ExampleConfig.unknownNames(env)) {
            LOG.atWarn().log("ignoring unknown setting {} (a typo?)", name);
        }
        ExampleService service;
        try {
            service = start(config);
        } catch (RuntimeException e) {
            LOG.atError().log("cannot start: {}", Secrets.describe(e));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown, "example-shutdown"));
        while (!service.awaitTermination(Duration.ofDays(1))) {
            // runs until the shutdown hook has drained and stopped it
        }
    }
}
