package io.vigil.health.example;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import io.vigil.health.checks.DeadlockCheck;
import io.vigil.health.checks.DiskSpaceCheck;
import io.vigil.health.checks.PingCheck;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.JdkHealthServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smallest reference service: health probes on the JDK's built-in HTTP server, and a simulated schema
 * migration at start-up under a health lock, so that {@code curl -i localhost:8080/health/ready} shows
 * {@code 423 Locked} first and {@code 200} once the migration is done.
 */
public final class ExampleService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExampleService.class);

    private final HealthRegistry health;
    private final JdkHealthServer server;
    private final ScheduledExecutorService tasks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "example-migration");
        t.setDaemon(true);
        return t;
    });

    private ExampleService(int port, Duration migration) {
        health = HealthRegistry.builder().build();
        CheckPolicy liveness = CheckPolicy.builder().probes(Probe.LIVENESS).build();
        health.register("ping", new PingCheck(), liveness);
        health.register("deadlocks", new DeadlockCheck(), liveness);
        health.register("disk", new DiskSpaceCheck(Path.of(".")));

        // The lock is taken before the port opens, so no probe ever sees "ready" before the migration ran.
        TaskLock lock = health.lock("schema-migration", "Migrating schema to v42", migration.plusSeconds(30));
        server = JdkHealthServer.builder(HealthHandler.builder(health).build())
                .address(new InetSocketAddress(port)).start();
        LOG.info("health endpoints on http://localhost:{}/health (live, ready, started), /livez, /readyz",
                server.port());
        tasks.schedule(() -> {
            lock.close();
            health.markStarted();
            LOG.info("migration done; the service is ready");
        }, migration.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param port      HTTP port, 0 for an ephemeral one
     * @param migration how long the simulated migration takes
     * @return the running service
     */
    public static ExampleService start(int port, Duration migration) {
        return new ExampleService(port, migration);
    }

    /** @return the bound HTTP port */
    public int port() {
        return server.port();
    }

    /** @return the service's health registry */
    public HealthRegistry health() {
        return health;
    }

    /** Drains (readiness 503), then stops. */
    @Override
    public void close() {
        health.startDraining();
        tasks.shutdownNow();
        server.close();
        health.close();
    }

    /**
     * Reads {@code VIGIL_HTTP_PORT} (8080) and {@code VIGIL_MIGRATION_SECONDS} (5) and runs until killed.
     *
     * @param args ignored
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        int port = Integer.parseInt(env.getOrDefault("VIGIL_HTTP_PORT", "8080"));
        Duration migration = Duration.ofSeconds(Long.parseLong(env.getOrDefault("VIGIL_MIGRATION_SECONDS", "5")));
        ExampleService service = start(port, migration);
        Runtime.getRuntime().addShutdownHook(new Thread(service::close, "example-shutdown"));
        Thread.currentThread().join();
    }
}
