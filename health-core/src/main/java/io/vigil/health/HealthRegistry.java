package io.vigil.health;

import io.vigil.health.internal.Engine;
import io.vigil.health.internal.EngineConfig;
import io.vigil.health.internal.TransitionLogger;
import io.vigil.health.internal.util.Require;
import io.vigil.health.spi.CheckRegistrar;
import io.vigil.health.spi.HealthCheckProvider;
import io.vigil.health.spi.HealthListener;
import io.vigil.health.spi.LicenseCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's health: registered checks, locks, license and lifecycle, and the evaluation of probes.
 * One instance per application (no static state); thread-safe. Close it on shutdown to stop its threads.
 *
 * <pre>{@code
 * HealthRegistry health = HealthRegistry.builder().build();
 * health.register("db", dbCheck);                                      // readiness, required
 * health.register("deadlocks", new DeadlockCheck(), CheckPolicy.builder().probes(Probe.LIVENESS).build());
 * health.markStarted();
 * HealthReport ready = health.evaluate(Probe.READINESS);
 * }</pre>
 */
public final class HealthRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRegistry.class);
    /** Longest accepted check name. */
    public static final int MAX_NAME_LENGTH = 128;

    private final Engine engine;
    private final Clock clock;

    private HealthRegistry(Builder b) {
        this.clock = b.clock;
        List<HealthListener> listeners = new ArrayList<>();
        if (b.logTransitions) {
            listeners.add(new TransitionLogger());
        }
        listeners.addAll(b.listeners);
        this.engine = new Engine(new EngineConfig(
                b.clock,
                b.ticker,
                b.executor,
                b.maxThreads,
                b.livenessThreads,
                b.license,
                b.licenseTtl,
                b.licenseTimeout,
                b.licenseFailsLiveness,
                b.startupChecksMarkStarted,
                b.waitingForStart,
                b.startedImmediately,
                b.eventQueueCapacity,
                listeners,
                b.historySize));
    }

    /** Runs every discovered provider; a failing one closes this registry and fails the build, naming it. */
    private HealthRegistry discoverChecks() {
        HealthCheckProvider current = null;
        try {
            for (HealthCheckProvider p : ServiceLoader.load(HealthCheckProvider.class)) {
                current = p;
                p.registerChecks(new Registrar());
            }
        } catch (RuntimeException | ServiceConfigurationError e) {
            close();
            throw new IllegalStateException(
                    "health check provider "
                            + (current == null
                                    ? "(not loaded)"
                                    : current.getClass().getName()) + " failed: "
                            + Secrets.describe(e),
                    e);
        } catch (Error e) { // NOPMD: close the half-built registry, then let the error propagate as it is
            close();
            throw e;
        }
        return this;
    }

    /** What providers see of the registry while it is built: registration only. */
    private final class Registrar implements CheckRegistrar {
        @Override
        public CheckRegistrar register(String name, HealthCheck check) {
            HealthRegistry.this.register(name, check);
            return this;
        }

        @Override
        public CheckRegistrar register(String name, HealthCheck check, CheckPolicy policy) {
            HealthRegistry.this.register(name, check, policy);
            return this;
        }
    }

    /** @return a builder with the defaults listed in the README */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers a check with the default policy (readiness, required, 1 s timeout, 1 s cache).
     *
     * @param name  unique name, 1 to 128 characters, no control characters
     * @param check the check
     * @return this registry
     * @throws IllegalArgumentException if the name is invalid or taken
     */
    public HealthRegistry register(String name, HealthCheck check) {
        return register(name, check, CheckPolicy.defaults());
    }

    /**
     * Registers a check.
     *
     * @param name   unique name, 1 to 128 characters, no control characters
     * @param check  the check
     * @param policy how to run it
     * @return this registry
     * @throws IllegalArgumentException if the name is invalid or taken, or a dependency check is put on
     *                                  liveness without {@link CheckPolicy.Builder#allowOnLiveness()}
     */
    public HealthRegistry register(String name, HealthCheck check, CheckPolicy policy) {
        validateName(name);
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(policy, "policy");
        if (policy.probes().contains(Probe.LIVENESS) && check.kind().isDependency()) {
            if (!policy.allowOnLiveness()) {
                throw new IllegalArgumentException("check '" + name + "' looks at a " + check.kind()
                        + ": putting it on liveness makes Kubernetes restart healthy pods when it fails;"
                        + " opt in with CheckPolicy.builder().allowOnLiveness()");
            }
            LOG.atWarn()
                    .addKeyValue("check", name)
                    .log(
                            "dependency check {} registered on the liveness probe:"
                                    + " its outage will make Kubernetes restart this pod",
                            name);
        }
        engine.register(name, check, policy);
        return this;
    }

    /**
     * @param name a registered name
     * @return whether a check was removed
     */
    public boolean unregister(String name) {
        return engine.unregister(name);
    }

    /** @return registered names, in registration order */
    public List<String> checkNames() {
        return engine.runners().stream().map(r -> r.name()).toList();
    }

    /**
     * @param group a group name
     * @return whether any check belongs to the group
     */
    public boolean hasGroup(String group) {
        return engine.hasGroup(group);
    }

    /**
     * Evaluates a probe: {@code evaluate(Scope.of(probe))}.
     *
     * @param probe liveness, readiness or startup
     * @return the report
     */
    public HealthReport evaluate(Probe probe) {
        return evaluate(Scope.of(Objects.requireNonNull(probe, "probe")), Set.of());
    }

    /**
     * Evaluates a scope: a probe ({@link Scope#of(Probe)}), every check with readiness semantics
     * ({@link Scope#all()}), or a named group with readiness semantics ({@link Scope#group(String)}).
     *
     * @param scope what to evaluate
     * @return the report
     */
    public HealthReport evaluate(Scope scope) {
        return evaluate(scope, Set.of());
    }

    /**
     * Evaluates a scope, leaving some checks out: the evaluation entry point every other one goes through.
     *
     * @param scope    what to evaluate
     * @param excluded names of checks to leave out; with any, the evaluation is a view (records no outcome)
     * @return the report
     */
    public HealthReport evaluate(Scope scope, Collection<String> excluded) {
        return engine.evaluate(Objects.requireNonNull(scope, "scope"), excluded);
    }

    /**
     * Takes a lock: readiness answers 423 until it is closed. Locks nest and overlap.
     *
     * @param name        short name shown to everyone, e.g. {@code schema-migration}
     * @param description what the task does; shown only with details
     * @return the held lock; close it (try-with-resources)
     */
    public TaskLock lock(String name, String description) {
        return lock(name, description, null);
    }

    /**
     * Takes a lock that is released with a warning after {@code maxDuration}, so a dead task never locks the
     * service forever. The remaining time is sent as {@code Retry-After}.
     *
     * @param name        short name shown to everyone
     * @param description what the task does; shown only with details
     * @param maxDuration positive limit, or {@code null} for none
     * @return the held lock
     * @throws IllegalArgumentException for a blank name or non-positive duration
     */
    public TaskLock lock(String name, String description, @Nullable Duration maxDuration) {
        validateName(name);
        if (maxDuration != null) {
            Require.positive(maxDuration, "maxDuration");
        }
        return engine.lock(name, description, maxDuration);
    }

    /** @return locks held now, oldest first */
    public List<LockInfo> locks() {
        return engine.locks();
    }

    /** @return the license state, or {@code null} when no license check is configured */
    public @Nullable LicenseState license() {
        return engine.license();
    }

    /** Marks the application started: startup and readiness stop reporting "not started". */
    public void markStarted() {
        engine.markStarted();
    }

    /** @return whether the application is marked started */
    public boolean isStarted() {
        return engine.isStarted();
    }

    /** Begins draining for shutdown: readiness answers 503, liveness stays 200. Irreversible. */
    public void startDraining() {
        engine.startDraining();
    }

    /** @return whether draining */
    public boolean isDraining() {
        return engine.isDraining();
    }

    /**
     * Takes this instance out of rotation without stopping it, as an operator's decision ("while I look at it"):
     * readiness, the base path and groups answer 503 with an issue naming the reason, who and since when; liveness
     * and startup are not affected, so the process is neither restarted nor killed. The change is logged (WARN) and
     * shown on the status page and by the {@code health.out.of.service} gauge. Idempotent: while out of service a
     * new call keeps the original time and replaces reason and name. In memory only: a restarted process is back in
     * service. Thread-safe.
     *
     * @param reason why, shown in every answer (never put a secret in it)
     * @param by     who, as the caller names themselves
     * @return the state now
     * @throws IllegalArgumentException if the reason or name is blank, longer than {@value OutOfService#MAX_LENGTH}
     *                                  characters or contains control characters
     */
    public OutOfService outOfService(String reason, String by) {
        return engine.service().outOfService(reason, by);
    }

    /**
     * {@link #outOfService(String, String)} by {@code "operator"}.
     *
     * @param reason why, shown in every answer
     * @return the state now
     * @throws IllegalArgumentException if the reason is blank, too long or contains control characters
     */
    public OutOfService outOfService(String reason) {
        return outOfService(reason, "operator");
    }

    /**
     * Puts this instance back in service after {@link #outOfService(String, String)} (logged at INFO); does nothing
     * if it is in service. Thread-safe.
     *
     * @return whether it was out of service
     */
    public boolean backInService() {
        return engine.service().backInService() != null;
    }

    /** @return the operator's out-of-service decision in force, if any */
    public Optional<OutOfService> outOfService() {
        return Optional.ofNullable(engine.service().current());
    }

    /**
     * The latest entry of every check, without evaluating anything (for metrics scrapes).
     *
     * @return name → latest entry, in registration order; unmodifiable
     */
    public Map<String, CheckEntry> latest() {
        return engine.latest();
    }

    /**
     * One check's latest entry, without evaluating anything; constant time (one gauge read of a metrics scrape).
     *
     * @param name a check name
     * @return its latest entry, or {@code null} if no check of that name is registered
     */
    public @Nullable CheckEntry latest(String name) {
        return engine.latest(Objects.requireNonNull(name, "name"));
    }

    /** @return the wall clock that stamps the times shown (set with {@link Builder#clock(Clock)}) */
    public Clock clock() {
        return clock;
    }

    /**
     * @param probe a probe
     * @return the outcome of its last evaluation, or {@code null} if never evaluated
     */
    public @Nullable Outcome lastOutcome(Probe probe) {
        return engine.lastOutcome(probe);
    }

    /**
     * Adds a listener after construction (metrics binders).
     *
     * @param listener the listener
     */
    public void addListener(HealthListener listener) {
        engine.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Waits until every listener event published so far has been delivered. Listeners run on threads of their own,
     * shortly after the events; call this where the logs or metrics of what just happened must be complete (tests,
     * a shutdown hook before the logging system stops).
     *
     * @param timeout the longest wait
     * @return whether everything was delivered within the timeout (false also when interrupted)
     */
    public boolean flushEvents(Duration timeout) {
        return engine.flushEvents(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * The engine's own trouble counters: stuck executions, rejected executions, listener failures, dropped events.
     *
     * @return a snapshot of them
     */
    public EngineStats engineStats() {
        return engine.stats();
    }

    /**
     * Shuts down in order: probes in flight get their answers; from then on no check is started, readiness and
     * startup answer 503 ("shutting down") at once and liveness answers from the latest results; the registry's
     * own threads end once idle (a thread stuck in a check stays until the check returns; it is a daemon).
     * Queued listener events are still delivered. Registering a check afterwards throws.
     */
    @Override
    public void close() {
        engine.close();
    }

    static void validateName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("name must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new IllegalArgumentException("name must not contain control characters");
            }
        }
    }

    /** Builds a {@link HealthRegistry}. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Ticker ticker = Ticker.system();
        private @Nullable Executor executor;
        private int maxThreads = 32;
        private int livenessThreads = 4;
        private int eventQueueCapacity = 1024;
        private int historySize = 20;
        private @Nullable LicenseCheck license;
        private Duration licenseTtl = Duration.ofSeconds(60);
        private Duration licenseTimeout = Duration.ofSeconds(1);
        private boolean licenseFailsLiveness = true;
        private boolean startupChecksMarkStarted = true;
        private boolean startedImmediately;
        private Set<Probe> waitingForStart = java.util.EnumSet.of(Probe.READINESS, Probe.STARTUP);
        private boolean logTransitions = true;
        private boolean discover;
        private final List<HealthListener> listeners = new java.util.ArrayList<>();

        Builder() {}

        /**
         * @param value the wall clock that stamps the times shown (when a check ran, when a lock was taken);
         *              it decides no duration, so stepping it (NTP, a VM resumed) changes no TTL or expiry
         * @return this builder
         */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @param value the monotonic time source that decides cache TTLs, breaker backoff, lock maximum durations,
         *              the license TTL and staleness (default {@link Ticker#system()}; inject one in tests)
         * @return this builder
         */
        public Builder ticker(Ticker value) {
            ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /**
         * Runs checks on the caller's executor instead of the registry's own bounded pool. It must run tasks
         * in parallel; it is not shut down by {@link HealthRegistry#close()}.
         *
         * @param value the executor
         * @return this builder
         */
        public Builder executor(Executor value) {
            executor = Objects.requireNonNull(value, "executor");
            return this;
        }

        /**
         * @param value bound of the own pool (default 32); checks beyond it are DOWN ({@code REJECTED})
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxThreads(int value) {
            maxThreads = Require.atLeast(value, 1, "maxThreads");
            return this;
        }

        /**
         * Threads reserved for checks on the liveness probe (default 4): no readiness, startup or group check can
         * take them, so hung dependencies never starve liveness. They are the registry's own, also when
         * {@link #executor(Executor)} is set.
         *
         * @param value the number of threads
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder livenessThreads(int value) {
            livenessThreads = Require.atLeast(value, 1, "livenessThreads");
            return this;
        }

        /**
         * Bound of each listener's event queue (default 1,024); a listener that falls further behind loses its
         * oldest events (counted in {@link HealthRegistry#engineStats()}, logged once).
         *
         * @param value the capacity
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder eventQueueCapacity(int value) {
            eventQueueCapacity = Require.atLeast(value, 1, "eventQueueCapacity");
            return this;
        }

        /**
         * How many transitions each check remembers (default 20): the ring behind {@link HealthReport#transitions()}.
         * Memory is constant per check; nothing is kept per request. A check's {@link CheckEntry#since()},
         * {@link CheckEntry#lastSuccess()} and {@link CheckEntry#consecutiveFailures()} are kept whatever the size.
         *
         * @param value the ring size per check
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder historySize(int value) {
            historySize = Require.atLeast(value, 1, "historySize");
            return this;
        }

        /**
         * How long a probe with no usable license state waits for the license check (default 1 s). The check runs
         * on a thread of its own, one call at a time; a call that has not answered by then makes the state
         * INVALID ("license check timed out"). A known state is served without waiting for one TTL past its due
         * refresh.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder licenseTimeout(Duration value) {
            licenseTimeout = Require.positive(value, "licenseTimeout");
            return this;
        }

        /**
         * @param value the license check (e.g. {@link io.vigil.health.license.SignedLicenseFile})
         * @return this builder
         */
        public Builder license(LicenseCheck value) {
            license = Objects.requireNonNull(value, "license");
            return this;
        }

        /**
         * @param value how long a license state is reused (default 60 s)
         * @return this builder
         */
        public Builder licenseCacheTtl(Duration value) {
            licenseTtl = Require.notNegative(value, "licenseCacheTtl");
            return this;
        }

        /**
         * Whether an expired or invalid license fails liveness too (default {@code true}, Firely's behaviour:
         * Kubernetes then restarts the pod in a loop, which makes the problem loud). With {@code false},
         * liveness stays 200 and only readiness and startup answer 402.
         *
         * @param value the setting
         * @return this builder
         */
        public Builder licenseFailsLiveness(boolean value) {
            licenseFailsLiveness = value;
            return this;
        }

        /**
         * Whether a startup probe whose checks all pass marks the application started (default {@code true}).
         *
         * @param value the setting
         * @return this builder
         */
        public Builder startupChecksMarkStarted(boolean value) {
            startupChecksMarkStarted = value;
            return this;
        }

        /**
         * Chooses the probes that answer DOWN ("the application has not finished starting") until
         * {@link HealthRegistry#markStarted()}: by default readiness and startup; the base path and groups follow
         * readiness; liveness never waits. A probe left out is judged by its checks alone during start-up, e.g.
         * MicroProfile Health's {@code mp.health.default.readiness.empty.response=UP} leaves readiness out.
         *
         * @param probes the probes that wait; none for no start-up window at all
         * @return this builder
         */
        public Builder notStartedProbes(Probe... probes) {
            Set<Probe> s = java.util.EnumSet.noneOf(Probe.class);
            for (Probe p : probes) {
                s.add(Objects.requireNonNull(p, "probe"));
            }
            waitingForStart = s;
            return this;
        }

        /**
         * Considers the application started from the beginning (for services with nothing to initialise).
         *
         * @return this builder
         */
        public Builder startedImmediately() {
            startedImmediately = true;
            return this;
        }

        /**
         * @param value whether to log transitions through SLF4J (default {@code true})
         * @return this builder
         */
        public Builder logTransitions(boolean value) {
            logTransitions = value;
            return this;
        }

        /**
         * @param listener receives engine events
         * @return this builder
         */
        public Builder listener(HealthListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Registers the checks of every {@link HealthCheckProvider} found by {@link ServiceLoader}.
         *
         * @return this builder
         */
        public Builder discoverChecks() {
            discover = true;
            return this;
        }

        /**
         * @return a new registry, with the checks of discovered providers registered
         * @throws IllegalStateException if a discovered provider throws (the registry is closed again)
         */
        public HealthRegistry build() {
            HealthRegistry registry = new HealthRegistry(this);
            return discover ? registry.discoverChecks() : registry;
        }
    }
}
