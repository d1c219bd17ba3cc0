package io.vigil.health.example;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import io.vigil.health.checks.DeadlockCheck;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.server.JdkHealthServer;
import io.vigil.health.signals.DiskCheck;
import io.vigil.health.signals.MemoryCheck;
import io.vigil.health.signals.ThresholdCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A service without a web framework (a queue consumer, a batch worker) serving its probes and its Prometheus metrics
 * on one port of the JDK's built-in HTTP server: no servlet container, no dependency beyond health-core, health-server,
 * health-signals and Micrometer's Prometheus registry. It takes a start-up migration lock (readiness 423), then
 * consumes "messages" from its inbox and is ready while its last message is recent. Health from numbers: heap after
 * GC (liveness and readiness), free disk in percent, and the inbox's backlog against the limits its runbook alerts on.
 *
 * <pre>
 * mvn -B -pl examples -am package -DskipTests -Pworker     # http://localhost:9091/health/ready and /metrics
 * </pre>
 */
public final class WorkerExample implements AutoCloseable {
    private final HealthRegistry health = HealthRegistry.builder().build();
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JdkHealthServer server;
    private final AtomicReference<Instant> lastMessage = new AtomicReference<>(Instant.now());
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker");
        t.setDaemon(true);
        return t;
    });

    private WorkerExample(int port, Duration migration, HealthSettings settings) {
        CheckPolicy base = settings.applyTo(CheckPolicy.builder()).build(); // timeout, cache-ttl
        health.register(
                "deadlocks",
                new DeadlockCheck(),
                base.toBuilder().probes(Probe.LIVENESS).build());
        health.register(
                "consumer",
                () -> {
                    Duration idle = Duration.between(lastMessage.get(), Instant.now());
                    return (idle.compareTo(Duration.ofSeconds(30)) < 0
                                    ? CheckResult.up()
                                    : CheckResult.down("no message for " + idle.toSeconds() + " s"))
                            .withData("idleSeconds", idle.toSeconds());
                },
                base);
        health.register(
                "memory",
                MemoryCheck.builder().build(),
                base.toBuilder().probes(Probe.LIVENESS, Probe.READINESS).build());
        health.register(
                "disk",
                DiskCheck.builder(Path.of(System.getProperty("java.io.tmpdir")))
                        .warnBelowFreePercent(10)
                        .failBelowFreePercent(2)
                        .build(),
                base);
        health.register(
                "inbox",
                ThresholdCheck.of(inbox::size)
                        .named("inbox backlog")
                        .unit("messages")
                        .warnAbove(100)
                        .failAbove(1000)
                        .build(),
                base);
        TaskLock migrating =
                health.lock("schema-migration", "Migrating the worker's tables", migration.plusSeconds(30));
        new HealthMetrics(health).bindTo(meters);
        server = JdkHealthServer.builder(settings.handler(health))
                .port(port)
                .metrics(meters::scrape)
                .start(); // probes and /metrics on one port
        // no handles needed: the work executor lives as long as the process
        var unusedMigration = work.schedule(
                () -> {
                    migrating.close();
                    health.markStarted();
                },
                migration.toMillis(),
                TimeUnit.MILLISECONDS);
        var unusedConsumer = work.scheduleWithFixedDelay(
                () -> {
                    inbox.add("message " + Instant.now()); // a message arrives ...
                    while (inbox.poll() != null) { // ... and the backlog is consumed
                        lastMessage.set(Instant.now());
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);
    }

    /**
     * @param port      probe port, 0 for an ephemeral one
     * @param migration how long the simulated start-up migration holds readiness at 423
     * @return the running worker
     */
    public static WorkerExample start(int port, Duration migration) {
        return start(port, migration, HealthSettings.defaults());
    }

    /**
     * @param port      probe port, 0 for an ephemeral one
     * @param migration how long the simulated start-up migration holds readiness at 423
     * @param settings  the endpoint settings and check defaults
     * @return the running worker
     */
    public static WorkerExample start(int port, Duration migration, HealthSettings settings) {
        return new WorkerExample(port, migration, settings);
    }

    /** @return the probe port */
    public int port() {
        return server.port();
    }

    /** Drains, then stops the probe server and the registry. */
    @Override
    public void close() {
        health.startDraining();
        work.shutdownNow();
        server.close();
        health.close();
        meters.close();
    }

    /**
     * Probe port from {@code VIGIL_WORKER_PORT} (9091) and migration from {@code VIGIL_MIGRATION_SECONDS} (5), the
     * worker's own knobs of this demo; the endpoint settings and check defaults from the library's
     * {@code VIGIL_HEALTH_*} variables ({@link HealthSettings#environment}), like the service's.
     *
     * @param args ignored
     * @throws InterruptedException when interrupted
     */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(System.getenv().getOrDefault("VIGIL_WORKER_PORT", "9091"));
        long seconds = Long.parseLong(System.getenv().getOrDefault("VIGIL_MIGRATION_SECONDS", "5"));
        WorkerExample worker = start(
                port,
                Duration.ofSeconds(seconds),
                HealthSettings.read(HealthSettings.environment(System::getenv, Map.of())));
        Runtime.getRuntime().addShutdownHook(new Thread(worker::close, "worker-shutdown"));
        System.out.println("worker probes on http://localhost:" + worker.port() + "/health/ready, metrics on /metrics");
        Thread.currentThread().join();
    }
}
