package io.vigil.health.microprofile;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.checks.DeadlockCheck;
import io.vigil.health.checks.DiskSpaceCheck;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.internal.util.Require;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jspecify.annotations.Nullable;

/**
 * A Vigil {@link HealthRegistry} with MicroProfile Health semantics, and the handler serving it as
 * {@code /health}, {@code /health/live}, {@code /health/ready} and {@code /health/started} in exactly the
 * MicroProfile JSON schema. The CDI extension builds one per deployment; without CDI, build one yourself:
 *
 * <pre>{@code
 * MicroProfileHealth health = MicroProfileHealth.fromConfig();
 * health.register(new DatabaseCheck());          // its @Readiness (etc.) annotations choose the probes
 * health.markStarted();                          // every check the application expects is registered
 * servletContext.setAttribute(MicroProfileHealth.ATTRIBUTE, health);   // for MicroProfileHealthServlet
 * }</pre>
 *
 * <p>Start-up window (MicroProfile: "procedures expected but not yet installed"): until {@link #markStarted()},
 * readiness, startup and the base path answer 503 with no checks, unless
 * {@value #DEFAULT_READINESS_EMPTY_RESPONSE} or {@value #DEFAULT_STARTUP_EMPTY_RESPONSE} is {@code UP}; then
 * that probe is judged by the checks registered so far. Liveness never waits. After {@link #markStarted()} a
 * probe without checks is UP (200). Thread-safe.
 */
public final class MicroProfileHealth implements AutoCloseable {
    /** {@code true} leaves out Vigil's built-in checks (deadlocks on liveness, disk space on readiness). */
    public static final String DISABLE_DEFAULT_PROCEDURES = "mp.health.disable-default-procedures";
    /** {@code UP} or {@code DOWN} (default): readiness during the start-up window. */
    public static final String DEFAULT_READINESS_EMPTY_RESPONSE = "mp.health.default.readiness.empty.response";
    /** {@code UP} or {@code DOWN} (default): startup during the start-up window. */
    public static final String DEFAULT_STARTUP_EMPTY_RESPONSE = "mp.health.default.startup.empty.response";
    /**
     * Longest wait for one MicroProfile check: ISO-8601 ({@code PT2S}), {@code 500ms}/{@code 2s} or milliseconds;
     * default 1 s. The key of {@link HealthSettings#TIMEOUT} under {@value HealthSettings#PREFIX}, as everywhere;
     * the former {@code vigil.health.check-timeout} is still read, with a deprecation warning.
     */
    public static final String TIMEOUT = HealthSettings.PREFIX + "timeout";
    /** How long a check's response is reused: a duration as above, {@code 0} for never; default 1 s. */
    public static final String CACHE_TTL = HealthSettings.PREFIX + "cache-ttl";
    /** Servlet context attribute where {@link MicroProfileHealthServlet} looks for an instance first. */
    public static final String ATTRIBUTE = MicroProfileHealth.class.getName();

    /** Registered name of the built-in liveness check. */
    public static final String DEADLOCKS = "deadlocks";
    /** Registered name of the built-in readiness check. */
    public static final String DISK_SPACE = "disk-space";

    private final HealthRegistry registry;
    private final HealthHandler handler;
    private final CheckPolicy template;

    private MicroProfileHealth(Builder b) {
        List<Probe> waiting = new ArrayList<>(2);
        if (b.readinessEmpty == HealthCheckResponse.Status.DOWN) {
            waiting.add(Probe.READINESS);
        }
        if (b.startupEmpty == HealthCheckResponse.Status.DOWN) {
            waiting.add(Probe.STARTUP);
        }
        HealthRegistry.Builder rb = b.registry != null ? b.registry : HealthRegistry.builder();
        this.registry = rb.notStartedProbes(waiting.toArray(new Probe[0])).build();
        this.template =
                CheckPolicy.builder().timeout(b.timeout).cacheTtl(b.cacheTtl).build();
        if (b.defaultProcedures) {
            registry.register(
                    DEADLOCKS,
                    new DeadlockCheck(),
                    CheckPolicy.builder().probes(Probe.LIVENESS).build());
            registry.register(DISK_SPACE, new DiskSpaceCheck(Path.of("").toAbsolutePath(), 10L << 20, 100L << 20));
        }
        HealthHandler.Builder hb = b.settings.applyTo(HealthHandler.builder(registry));
        if (b.settings.jsonFormat() == HealthHandler.JsonFormat.MICROPROFILE) {
            hb.jsonWriter(MicroProfileChecks.strictJsonWriter()); // MicroProfile's own JSON, unless told otherwise
        }
        this.handler = hb.details(b.settings.isSet(HealthSettings.DETAILS) ? b.settings.details() : b.details)
                .build();
    }

    /**
     * @return an instance configured from MicroProfile Config when present, system properties otherwise
     * @throws IllegalArgumentException for an invalid setting (named in the message)
     */
    public static MicroProfileHealth fromConfig() {
        return builder().configure(Settings.lookup()).build();
    }

    /** @return a builder: default procedures on, empty responses DOWN, 1 s timeout and cache, details shown */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the registry: register Vigil checks (JDBC, Redis, HTTP…) next to the MicroProfile ones */
    public HealthRegistry registry() {
        return registry;
    }

    /** @return the handler answering {@code /health…} requests in MicroProfile JSON; any transport may serve it */
    public HealthHandler handler() {
        return handler;
    }

    /**
     * Registers a check on the probes named by its class's {@code @Liveness}, {@code @Readiness},
     * {@code @Startup} annotations, with this instance's timeout and cache.
     *
     * @param check the MicroProfile check
     * @return its registered name (see {@link MicroProfileChecks})
     * @throws IllegalArgumentException if its class carries none of the annotations
     */
    public String register(HealthCheck check) {
        Objects.requireNonNull(check, "check");
        Set<Probe> probes = MicroProfileChecks.probesOf(check.getClass());
        if (probes.isEmpty()) {
            throw new IllegalArgumentException(
                    check.getClass().getName() + " carries none of @Liveness, @Readiness, @Startup; name its probes");
        }
        return MicroProfileChecks.register(registry, check, MicroProfileChecks.policyFor(template, probes));
    }

    /**
     * @param check  the MicroProfile check
     * @param first  a probe
     * @param others more probes
     * @return its registered name
     */
    public String register(HealthCheck check, Probe first, Probe... others) {
        return MicroProfileChecks.register(
                registry, check, MicroProfileChecks.policyFor(template, EnumSet.of(first, others)));
    }

    /**
     * Registers a check whose instance comes from elsewhere on every call (the CDI extension).
     *
     * @param name   preferred registered name
     * @param source yields the instance to call
     * @param probes its probes, not empty
     * @param loader context class loader during the call, or {@code null} to leave it
     * @return the registered name
     */
    String register(String name, Supplier<? extends HealthCheck> source, Set<Probe> probes, ClassLoader loader) {
        io.vigil.health.HealthCheck adapted = () -> {
            Thread t = Thread.currentThread();
            ClassLoader previous = t.getContextClassLoader();
            if (loader != null) {
                t.setContextClassLoader(loader);
            }
            try {
                return MicroProfileChecks.toResult(source.get().call());
            } finally {
                t.setContextClassLoader(previous);
            }
        };
        return MicroProfileChecks.registerUnique(
                registry, name, adapted, MicroProfileChecks.policyFor(template, probes));
    }

    /** Ends the start-up window: every check the application expects is registered. */
    public void markStarted() {
        registry.markStarted();
    }

    /** Drains (readiness 503) and stops the registry's threads. */
    @Override
    public void close() {
        registry.startDraining();
        registry.close();
    }

    /** Builds a {@link MicroProfileHealth}. Not thread-safe. */
    public static final class Builder {
        private HealthRegistry.@Nullable Builder registry;
        private boolean defaultProcedures = true;
        private HealthCheckResponse.Status readinessEmpty = HealthCheckResponse.Status.DOWN;
        private HealthCheckResponse.Status startupEmpty = HealthCheckResponse.Status.DOWN;
        private Duration timeout = Duration.ofSeconds(1);
        private Duration cacheTtl = Duration.ofSeconds(1);
        private DetailsPolicy details = DetailsPolicy.ALWAYS;
        private HealthSettings settings = HealthSettings.defaults();

        Builder() {}

        /**
         * Reads {@value #DISABLE_DEFAULT_PROCEDURES}, {@value #DEFAULT_READINESS_EMPTY_RESPONSE},
         * {@value #DEFAULT_STARTUP_EMPTY_RESPONSE}, and every {@link HealthSettings} key under
         * {@value HealthSettings#PREFIX} ({@value #TIMEOUT}, {@value #CACHE_TTL}, the endpoint settings such as
         * {@code vigil.health.base-path}); absent keys keep the current values. The JSON stays MicroProfile's, and
         * details stay shown unless {@code vigil.health.details} says otherwise.
         *
         * @param lookup key to value
         * @return this builder
         * @throws IllegalArgumentException for an invalid value
         */
        public Builder configure(Function<String, Optional<String>> lookup) {
            Objects.requireNonNull(lookup, "lookup");
            lookup.apply(DISABLE_DEFAULT_PROCEDURES).map(String::trim).ifPresent(v -> {
                if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                    throw new IllegalArgumentException(DISABLE_DEFAULT_PROCEDURES + " must be true or false");
                }
                defaultProcedures = !Boolean.parseBoolean(v);
            });
            lookup.apply(DEFAULT_READINESS_EMPTY_RESPONSE)
                    .ifPresent(v -> readinessEmpty = status(DEFAULT_READINESS_EMPTY_RESPONSE, v));
            lookup.apply(DEFAULT_STARTUP_EMPTY_RESPONSE)
                    .ifPresent(v -> startupEmpty = status(DEFAULT_STARTUP_EMPTY_RESPONSE, v));
            try {
                settings = HealthSettings.read(key -> lookup.apply(HealthSettings.PREFIX + key));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(HealthSettings.PREFIX + e.getMessage(), e);
            }
            if (settings.isSet(HealthSettings.TIMEOUT)) {
                checkTimeout(settings.timeout());
            }
            if (settings.isSet(HealthSettings.CACHE_TTL)) {
                cacheTtl(settings.cacheTtl());
            }
            return this;
        }

        private static HealthCheckResponse.Status status(String key, String value) {
            try {
                return HealthCheckResponse.Status.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " must be UP or DOWN");
            }
        }

        /**
         * @param value a registry builder to start from (clock, executor, license, listeners…); its start-up window
         *              is set from the empty-response settings
         * @return this builder
         */
        public Builder registry(HealthRegistry.Builder value) {
            registry = Objects.requireNonNull(value, "registry");
            return this;
        }

        /**
         * @param value whether to register Vigil's built-in checks (default {@code true})
         * @return this builder
         */
        public Builder defaultProcedures(boolean value) {
            defaultProcedures = value;
            return this;
        }

        /**
         * @param value readiness during the start-up window (default DOWN)
         * @return this builder
         */
        public Builder emptyReadinessResponse(HealthCheckResponse.Status value) {
            readinessEmpty = Objects.requireNonNull(value, "emptyReadinessResponse");
            return this;
        }

        /**
         * @param value startup during the start-up window (default DOWN)
         * @return this builder
         */
        public Builder emptyStartupResponse(HealthCheckResponse.Status value) {
            startupEmpty = Objects.requireNonNull(value, "emptyStartupResponse");
            return this;
        }

        /**
         * @param value longest wait for one check (default 1 s); a check that overruns is DOWN
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder checkTimeout(Duration value) {
            timeout = Require.positive(value, TIMEOUT);
            return this;
        }

        /**
         * @param value how long a response is reused (default 1 s); zero calls the check on every request
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder cacheTtl(Duration value) {
            cacheTtl = Require.notNegative(value, CACHE_TTL);
            return this;
        }

        /**
         * @param value who sees check data (default {@link DetailsPolicy#ALWAYS}, as MicroProfile Health shows it)
         * @return this builder
         */
        public Builder details(DetailsPolicy value) {
            details = Objects.requireNonNull(value, "details");
            return this;
        }

        /** @return the instance, with its registry built */
        public MicroProfileHealth build() {
            return new MicroProfileHealth(this);
        }
    }
}
