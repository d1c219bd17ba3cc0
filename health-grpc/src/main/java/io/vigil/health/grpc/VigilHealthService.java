package io.vigil.health.grpc;

import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthGrpc;
import io.vigil.health.CheckEntry;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standard gRPC health service ({@code grpc.health.v1.Health}, Check and Watch) answered by a
 * {@link HealthRegistry}. Add it to the application's own server; close it before shutting the server down, so
 * that open {@code Watch} streams end at once instead of holding the shutdown:
 *
 * <pre>{@code
 * VigilHealthService grpcHealth = VigilHealthService.builder(health)
 *         .alias("orders.v1.OrderService", Probe.READINESS)
 *         .build();
 * Server server = ServerBuilder.forPort(8443).addService(orders).addService(grpcHealth).build().start();
 * // on shutdown:
 * health.startDraining();          // every watcher gets NOT_SERVING, Check answers NOT_SERVING
 * grpcHealth.close();              // every Watch stream ends now
 * server.shutdown().awaitTermination(10, TimeUnit.SECONDS);
 * }</pre>
 *
 * <p>Service names: {@code ""} is the whole server (every check, readiness semantics, like the HTTP base path),
 * {@code readiness}, {@code liveness}, {@code startup} are the probes, {@code group/<name>} a named group, plus the
 * aliases of the builder. An outcome that HTTP answers with 200 (UP, DEGRADED) is {@code SERVING}; every other
 * outcome (LOCKED, DOWN including not started and draining, LICENSE_INVALID, ERROR) is {@code NOT_SERVING}. An
 * unknown name fails Check with {@code NOT_FOUND}; Watch sends {@code SERVICE_UNKNOWN} and stays open. Each answer
 * carries the headers {@link #OUTCOME_HEADER}, {@link #HTTP_STATUS_HEADER} and {@link #DIAGNOSTIC_HEADER}.
 *
 * <p>Check uses the engine's cache and single-flight like the HTTP endpoints; when the call's deadline is shorter
 * than the checks' timeouts, it answers {@code NOT_SERVING} just before the deadline and the evaluation finishes
 * in the background. Watch sends the current status at once and then only changes; it re-evaluates the watched
 * targets on every engine change and at least every {@linkplain Builder#watchPeriod(Duration) watch period}, once
 * per target however many streams watch it. Thread-safe.
 */
public final class VigilHealthService implements BindableService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VigilHealthService.class);
    /** Response header: the outcome of the evaluation behind the answer, e.g. {@code LOCKED}. */
    public static final Metadata.Key<String> OUTCOME_HEADER =
            Metadata.Key.of("vigil-outcome", Metadata.ASCII_STRING_MARSHALLER);
    /** Response header: the HTTP status the same evaluation answers on the HTTP endpoints, e.g. {@code 423}. */
    public static final Metadata.Key<String> HTTP_STATUS_HEADER =
            Metadata.Key.of("vigil-http-status", Metadata.ASCII_STRING_MARSHALLER);
    /**
     * Response header: the first OperationOutcome diagnostic, without details (the same text anyone sees over
     * HTTP); non-ASCII bytes percent-encoded, at most 200 characters.
     */
    public static final Metadata.Key<String> DIAGNOSTIC_HEADER =
            Metadata.Key.of("vigil-diagnostic", Metadata.ASCII_STRING_MARSHALLER);

    private final ScheduledThreadPoolExecutor timer;
    private final @Nullable ExecutorService ownPool;
    private final WatchHub hub;
    private final ServerServiceDefinition definition;

    private VigilHealthService(Builder b) {
        ServiceNames names = new ServiceNames(b.registry, b.aliases);
        timer = new ScheduledThreadPoolExecutor(1, daemons("vigil-grpc-health-timer"));
        timer.setRemoveOnCancelPolicy(true);
        Executor executor = b.executor;
        if (executor == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemons("vigil-grpc-health"));
            pool.allowCoreThreadTimeOut(true);
            ownPool = pool;
            executor = pool;
        } else {
            ownPool = null;
        }
        hub = new WatchHub(names);
        Evaluations evaluations = new Evaluations(b.registry, executor, hub::evaluated);
        hub.use(evaluations);
        CheckHandler check = new CheckHandler(names, evaluations, timer, hub::isClosed);
        definition = ServerServiceDefinition.builder(HealthGrpc.getServiceDescriptor())
                .addMethod(HealthGrpc.getCheckMethod(), check)
                .addMethod(HealthGrpc.getWatchMethod(), hub)
                .build();
        b.registry.addListener(new Changes(hub));
        long period = b.watchPeriod.toNanos();
        // no handle needed: shutting the timer down (close) ends the rounds
        var unused = timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        hub.requestRound();
                    } catch (RuntimeException e) { // a periodic task that throws is never run again
                        LOG.atWarn().log("gRPC health watch round failed: {}", e.toString());
                    }
                },
                period,
                period,
                TimeUnit.NANOSECONDS);
    }

    /**
     * @param registry the application's registry
     * @return a builder: no aliases, 1 s watch period, its own pool of at most 4 evaluation threads
     */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * @param registry the application's registry
     * @return a service with the defaults of {@link #builder(HealthRegistry)}
     */
    public static VigilHealthService of(HealthRegistry registry) {
        return builder(registry).build();
    }

    @Override
    public ServerServiceDefinition bindService() {
        return definition;
    }

    /**
     * Ends every {@code Watch} stream now ({@code NOT_SERVING}, then status {@code UNAVAILABLE}, which clients
     * retry elsewhere) and refuses new calls with {@code UNAVAILABLE}; stops the service's threads. Does not drain
     * or close the registry. Idempotent.
     */
    @Override
    public void close() {
        hub.close();
        timer.shutdownNow();
        if (ownPool != null) {
            ownPool.shutdownNow();
        }
    }

    /** Package-private for tests: one watch round now, as the period or an engine change would start it. */
    CompletableFuture<Void> reevaluateWatched() {
        return hub.round();
    }

    private static ThreadFactory daemons(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Engine events after which watchers may see another status. */
    private static final class Changes implements HealthListener {
        private final WatchHub hub;

        Changes(WatchHub hub) {
            this.hub = hub;
        }

        @Override
        public void onCheckTransition(@Nullable Status from, CheckEntry now) {
            hub.requestRound();
        }

        @Override
        public void onOutcomeTransition(@Nullable Outcome from, HealthReport report) {
            hub.requestRound();
        }

        @Override
        public void onLockAcquired(LockInfo lock) {
            hub.requestRound();
        }

        @Override
        public void onLockReleased(LockInfo lock, Duration held, boolean expired) {
            hub.requestRound();
        }

        @Override
        public void onLicenseTransition(@Nullable LicenseState from, LicenseState to) {
            hub.requestRound();
        }

        @Override
        public void onStarted() {
            hub.requestRound();
        }

        @Override
        public void onDrainingStarted() {
            hub.requestRound();
        }
    }

    /** Builds a {@link VigilHealthService}. Not thread-safe. */
    public static final class Builder {
        /** Shortest accepted watch period. */
        public static final Duration MIN_WATCH_PERIOD = Duration.ofMillis(10);
        /** Longest accepted watch period. */
        public static final Duration MAX_WATCH_PERIOD = Duration.ofHours(1);

        private final HealthRegistry registry;
        private final Map<String, Scope> aliases = new LinkedHashMap<>();
        private Duration watchPeriod = Duration.ofSeconds(1);
        private @Nullable Executor executor;

        Builder(HealthRegistry registry) {
            this.registry = registry;
        }

        /**
         * Makes a service name stand for a probe, e.g. a gRPC service's fully qualified name for readiness.
         *
         * @param serviceName the name clients send, e.g. {@code orders.v1.OrderService}
         * @param probe       the probe it stands for
         * @return this builder
         * @throws IllegalArgumentException if the name is empty, built in ({@code readiness}, {@code group/...}) or
         *                                  already an alias
         */
        public Builder alias(String serviceName, Probe probe) {
            return put(serviceName, Scope.of(Objects.requireNonNull(probe, "probe")));
        }

        /**
         * Makes a service name stand for a named group (unknown while no check belongs to the group).
         *
         * @param serviceName the name clients send
         * @param group       the group it stands for
         * @return this builder
         * @throws IllegalArgumentException if the name is empty, built in or already an alias, or the group is blank
         */
        public Builder groupAlias(String serviceName, String group) {
            Require.notBlank(group, "group");
            return put(serviceName, Scope.group(group));
        }

        private Builder put(String serviceName, Scope target) {
            Objects.requireNonNull(serviceName, "serviceName");
            if (serviceName.isEmpty() || serviceName.length() > ServiceNames.MAX_LENGTH) {
                throw new IllegalArgumentException(
                        "serviceName must be 1 to " + ServiceNames.MAX_LENGTH + " characters");
            }
            if (ServiceNames.builtIn(serviceName) != null || serviceName.startsWith(ServiceNames.GROUP_PREFIX)) {
                throw new IllegalArgumentException("'" + serviceName + "' is a built-in service name");
            }
            if (aliases.putIfAbsent(serviceName, target) != null) {
                throw new IllegalArgumentException("'" + serviceName + "' is already an alias");
            }
            return this;
        }

        /**
         * How often watched targets are re-evaluated when no engine event says that something changed (default
         * 1 s): this bounds how late a watcher learns of a change that only an evaluation finds, e.g. a dependency
         * check whose cache expired. One evaluation per watched target per period, however many streams watch it.
         *
         * @param value between {@link #MIN_WATCH_PERIOD} and {@link #MAX_WATCH_PERIOD}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder watchPeriod(Duration value) {
            Objects.requireNonNull(value, "watchPeriod");
            if (value.compareTo(MIN_WATCH_PERIOD) < 0 || value.compareTo(MAX_WATCH_PERIOD) > 0) {
                throw new IllegalArgumentException("watchPeriod must be between 10 ms and 1 h");
            }
            watchPeriod = value;
            return this;
        }

        /**
         * Runs evaluations on the caller's executor instead of the service's own pool (at most 4 threads). At most
         * one evaluation per target is in flight; each blocks one thread for at most its checks' timeout. The
         * executor is not shut down by {@link VigilHealthService#close()}.
         *
         * @param value the executor
         * @return this builder
         */
        public Builder executor(Executor value) {
            executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /** @return a new service, listening to the registry's events from now on */
        public VigilHealthService build() {
            return new VigilHealthService(this);
        }
    }
}
