package io.vigil.health.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.Criticality;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Exports the engine's own view of health to Micrometer. Scraping never evaluates a check: gauges read the
 * latest recorded results, the timer and counters are fed by engine events, so metrics cost no dependency call.
 *
 * <pre>{@code
 * new HealthMetrics(health).bindTo(meterRegistry);
 * }</pre>
 *
 * <p>Meters (Prometheus names in brackets; tags are only {@code check} and {@code probe}, whose values are
 * registered check names and probe labels, so cardinality is bounded by what the application registers):
 * <table>
 * <caption>meters</caption>
 * <tr><th>meter</th><th>type</th><th>tag</th><th>value</th></tr>
 * <tr><td>{@code health.check.status} ({@code health_check_status})</td><td>gauge</td><td>check</td>
 *     <td>1 UP, 0.5 DEGRADED, 0 DOWN; 0 while its circuit is open (that is what probes report then); NaN until
 *     the check has run once, so that an alert on {@code == 0} does not fire for a check nobody has probed
 *     yet</td></tr>
 * <tr><td>{@code health.check.duration} ({@code health_check_duration_seconds_count/_sum/_max})</td>
 *     <td>timer</td><td>check</td><td>time of each evaluation (cache hits are not evaluations)</td></tr>
 * <tr><td>{@code health.check.failures} ({@code health_check_failures_total})</td><td>counter</td>
 *     <td>check</td><td>evaluations that reported DOWN (after flap damping)</td></tr>
 * <tr><td>{@code health.check.consecutive.failures} ({@code health_check_consecutive_failures})</td>
 *     <td>gauge</td><td>check</td><td>evaluations in a row that reported DOWN; 0 after any other result</td></tr>
 * <tr><td>{@code health.check.circuit.state} ({@code health_check_circuit_state})</td><td>gauge</td>
 *     <td>check</td><td>0 closed, 1 half-open, 2 open</td></tr>
 * <tr><td>{@code health.check.required} ({@code health_check_required})</td><td>gauge</td><td>check</td>
 *     <td>1 REQUIRED, 0 OPTIONAL</td></tr>
 * <tr><td>{@code health.probe.status} ({@code health_probe_status})</td><td>gauge</td>
 *     <td>probe ({@code liveness|readiness|startup})</td><td>outcome of the probe's last evaluation: 1 UP,
 *     0.5 DEGRADED, 0 anything else (DOWN, LOCKED, LICENSE_INVALID, ERROR); NaN until first evaluated</td></tr>
 * <tr><td>{@code health.probe.duration} ({@code health_probe_duration_seconds_count/_sum/_max})</td>
 *     <td>timer</td><td>probe</td><td>time to answer each evaluation of the probe (cache hits included)</td></tr>
 * <tr><td>{@code health.locks.active} ({@code health_locks_active})</td><td>gauge</td><td>-</td>
 *     <td>locks held now</td></tr>
 * <tr><td>{@code health.out.of.service} ({@code health_out_of_service})</td><td>gauge</td><td>-</td>
 *     <td>1 while an operator has taken the instance out of service
 *     ({@code HealthRegistry.outOfService(reason)}), else 0</td></tr>
 * <tr><td>{@code health.executions.stuck} ({@code health_executions_stuck})</td><td>gauge</td><td>-</td>
 *     <td>check executions running past their timeout now (each holds one engine thread; its check is reported
 *     DOWN, TIMEOUT "still running after N ms")</td></tr>
 * <tr><td>{@code health.executions.rejected} ({@code health_executions_rejected_total})</td><td>counter</td>
 *     <td>-</td><td>evaluations that found no engine thread to run a check (DOWN REJECTED for that evaluation
 *     only)</td></tr>
 * <tr><td>{@code health.checks.stale} ({@code health_checks_stale})</td><td>gauge</td><td>-</td>
 *     <td>background-refreshed checks whose refresh has not completed in time (reported DOWN, STALE)</td></tr>
 * <tr><td>{@code health.listener.failures} ({@code health_listener_failures_total})</td><td>counter</td>
 *     <td>-</td><td>events a listener threw on (caught, counted, logged once)</td></tr>
 * <tr><td>{@code health.listener.dropped} ({@code health_listener_dropped_total})</td><td>counter</td>
 *     <td>-</td><td>events dropped because a listener fell behind (its oldest queued events go first)</td></tr>
 * <tr><td>{@code health.license.expiry} ({@code health_license_expiry_seconds})</td><td>gauge</td><td>-</td>
 *     <td>seconds until the license expires (negative once expired); NaN if the license names no expiry.
 *     Registered only when the registry has a license check</td></tr>
 * <tr><td>{@code health.license.grace} ({@code health_license_grace_total})</td><td>counter</td><td>-</td>
 *     <td>license checks that answered INVALID or failed while the last good state was kept for a short grace
 *     (with a license)</td></tr>
 * <tr><td>{@code health.license.valid} ({@code health_license_valid})</td><td>gauge</td><td>-</td>
 *     <td>1 VALID or EXPIRING, 0 EXPIRED or INVALID. Registered only with a license check</td></tr>
 * </table>
 *
 * <p>Checks registered after binding get their meters at their first evaluation; meters of unregistered
 * checks are removed when the next new check appears (until then their gauges read NaN). Duration, failure and
 * consecutive-failure figures count from binding on. One instance may be bound to several meter registries.
 * Thread-safe.
 */
// "exports": Micrometer is optional; whoever binds this to a MeterRegistry has Micrometer
@SuppressWarnings("exports")
public final class HealthMetrics implements MeterBinder {
    private static final String CHECK = "check";
    private static final String PROBE = "probe";

    private final HealthRegistry health;
    private final Map<String, CheckState> checks = new ConcurrentHashMap<>();
    private final List<Bound> bound = new CopyOnWriteArrayList<>();
    private final AtomicBoolean listening = new AtomicBoolean();

    /**
     * The license countdown reads the registry's own {@link HealthRegistry#clock() clock}.
     *
     * @param health the registry to observe
     */
    public HealthMetrics(HealthRegistry health) {
        this.health = Objects.requireNonNull(health, "health");
    }

    /**
     * Registers the meters in {@code registry}; binding the same registry twice does nothing.
     *
     * @param registry where to register
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        Bound b;
        synchronized (bound) {
            for (Bound existing : bound) {
                if (existing.registry == registry) {
                    return;
                }
            }
            b = new Bound(registry);
            bound.add(b);
        }
        if (listening.compareAndSet(false, true)) {
            health.addListener(new Events());
        }
        for (Probe p : Probe.values()) {
            b.add(Gauge.builder("health.probe.status", p, this::probeValue)
                    .tag(PROBE, p.label())
                    .description("outcome of the probe's last evaluation: 1 UP, 0.5 DEGRADED, 0 otherwise")
                    .strongReference(true)
                    .register(registry));
            Timer t = Timer.builder("health.probe.duration")
                    .tag(PROBE, p.label())
                    .description("time to answer the probe, its cached and evaluated checks included")
                    .register(registry);
            b.probeDurations.put(p, t);
            b.add(t);
        }
        b.add(Gauge.builder("health.locks.active", health, h -> h.locks().size())
                .description("locks held by long-running tasks")
                .strongReference(true)
                .register(registry));
        b.add(Gauge.builder(
                        "health.out.of.service", health, h -> h.outOfService().isPresent() ? 1.0 : 0.0)
                .description("1 while an operator has taken the instance out of service")
                .strongReference(true)
                .register(registry));
        b.add(Gauge.builder(
                        "health.executions.stuck", health, h -> h.engineStats().stuckExecutions())
                .description("check executions running past their timeout, each holding one thread")
                .strongReference(true)
                .register(registry));
        b.add(FunctionCounter.builder(
                        "health.executions.rejected",
                        health,
                        h -> h.engineStats().rejectedExecutions())
                .description("evaluations that found no engine thread to run a check")
                .register(registry));
        b.add(Gauge.builder("health.checks.stale", health, HealthMetrics::staleChecks)
                .description("background-refreshed checks whose refresh has not completed in time")
                .strongReference(true)
                .register(registry));
        b.add(FunctionCounter.builder(
                        "health.listener.failures", health, h -> h.engineStats().listenerFailures())
                .description("events a health listener threw on")
                .register(registry));
        b.add(FunctionCounter.builder(
                        "health.listener.dropped", health, h -> h.engineStats().droppedEvents())
                .description("events dropped because a health listener fell behind")
                .register(registry));
        if (health.license() != null) {
            b.add(Gauge.builder("health.license.expiry", this, HealthMetrics::licenseSecondsLeft)
                    .baseUnit("seconds")
                    .description("time until the license expires; negative once expired")
                    .strongReference(true)
                    .register(registry));
            b.add(FunctionCounter.builder(
                            "health.license.grace", health, h -> h.engineStats().licenseGraceAnswers())
                    .description("license checks answered bad while the last good license state was kept")
                    .register(registry));
            b.add(Gauge.builder("health.license.valid", this, HealthMetrics::licenseValid)
                    .description("1 while the license lets probes pass, 0 when expired or invalid")
                    .strongReference(true)
                    .register(registry));
        }
        syncChecks();
    }

    private static double staleChecks(HealthRegistry h) {
        int n = 0;
        for (CheckEntry s : h.latest().values()) {
            n += s.cause() == Cause.STALE ? 1 : 0;
        }
        return n;
    }

    /** Makes sure every registered check has meters everywhere and unregistered ones have none. */
    private void syncChecks() {
        Map<String, CheckEntry> latest = health.latest();
        for (CheckEntry s : latest.values()) {
            ensure(s.name());
        }
        for (String name : List.copyOf(checks.keySet())) {
            if (!latest.containsKey(name)) {
                CheckState gone = checks.remove(name);
                if (gone != null) {
                    for (Bound b : bound) {
                        b.removeCheck(name);
                    }
                }
            }
        }
    }

    /** @return the check's state with meters in every bound registry; {@code null} if it is not registered */
    private @Nullable CheckState state(String name) {
        CheckState s = checks.get(name);
        if (s != null && s.complete) {
            return s;
        }
        syncChecks(); // a check registered after binding, or a bind racing with an event
        return checks.get(name);
    }

    private void ensure(String name) {
        CheckState s = checks.computeIfAbsent(name, CheckState::new);
        for (Bound b : bound) {
            b.ensureCheck(s);
        }
        s.complete = true;
    }

    private double probeValue(Probe p) {
        Outcome o = health.lastOutcome(p);
        if (o == null) {
            return Double.NaN;
        }
        return switch (o) {
            case UP -> 1.0;
            case DEGRADED -> 0.5;
            default -> 0.0;
        };
    }

    private double licenseSecondsLeft() {
        LicenseState l = health.license();
        if (l == null || l.expires() == null) {
            return Double.NaN;
        }
        return Duration.between(health.clock().instant(), l.expires()).toMillis() / 1000.0;
    }

    private double licenseValid() {
        LicenseState l = health.license();
        return l == null ? Double.NaN : l.validity().blocks() ? 0.0 : 1.0;
    }

    static double statusValue(Status s) {
        return switch (s) {
            case UP -> 1.0;
            case DEGRADED -> 0.5;
            case DOWN -> 0.0;
        };
    }

    /**
     * One registered name, shared by every bound registry. Its gauges read the registration's latest entry each time
     * (constant time), so they follow a name that is unregistered and registered again: no state of an earlier
     * registration survives in them.
     */
    private final class CheckState {
        final String name;
        volatile boolean complete;

        CheckState(String name) {
            this.name = name;
        }

        private double read(java.util.function.ToDoubleFunction<CheckEntry> f) {
            CheckEntry s = health.latest(name);
            return s == null ? Double.NaN : f.applyAsDouble(s); // unregistered; meters go at the next sync
        }

        double status() {
            // a check never run is neither up nor down to an alert
            return read(s -> s.cause() == Cause.NEVER_RUN
                    ? Double.NaN
                    : s.breaker() == BreakerState.OPEN ? 0.0 : statusValue(s.status()));
        }

        double consecutiveFailures() {
            return read(CheckEntry::consecutiveFailures);
        }

        double circuit() {
            return read(s -> s.breaker().gaugeValue());
        }

        double required() {
            return read(s -> s.criticality() == Criticality.REQUIRED ? 1.0 : 0.0);
        }
    }

    /** The meters registered in one meter registry. */
    private static final class Bound {
        final MeterRegistry registry;
        final List<Meter> global = new ArrayList<>();
        final Map<String, CheckMeters> checks = new ConcurrentHashMap<>();
        final Map<Probe, Timer> probeDurations = new EnumMap<>(Probe.class);

        Bound(MeterRegistry registry) {
            this.registry = registry;
        }

        void add(Meter m) {
            global.add(m);
        }

        CheckMeters ensureCheck(CheckState s) {
            return checks.computeIfAbsent(s.name, n -> new CheckMeters(registry, s));
        }

        void removeCheck(String name) {
            CheckMeters m = checks.remove(name);
            if (m != null) {
                m.all().forEach(registry::remove);
            }
        }
    }

    /** One check's meters in one registry. */
    private static final class CheckMeters {
        final Timer duration;
        final Counter failures;
        final Set<Meter> gauges;

        CheckMeters(MeterRegistry registry, CheckState s) {
            Tags tags = Tags.of(CHECK, s.name);
            duration = Timer.builder("health.check.duration")
                    .tags(tags)
                    .description("time of each evaluation of the check (cache hits excluded)")
                    .register(registry);
            failures = Counter.builder("health.check.failures")
                    .tags(tags)
                    .description("evaluations that reported DOWN")
                    .register(registry);
            gauges = Set.of(
                    Gauge.builder("health.check.status", s, CheckState::status)
                            .tags(tags)
                            .description("1 UP, 0.5 DEGRADED, 0 DOWN")
                            .strongReference(true)
                            .register(registry),
                    Gauge.builder("health.check.consecutive.failures", s, CheckState::consecutiveFailures)
                            .tags(tags)
                            .description("evaluations in a row that reported DOWN")
                            .strongReference(true)
                            .register(registry),
                    Gauge.builder("health.check.circuit.state", s, CheckState::circuit)
                            .tags(tags)
                            .description("circuit breaker: 0 closed, 1 half-open, 2 open")
                            .strongReference(true)
                            .register(registry),
                    Gauge.builder("health.check.required", s, CheckState::required)
                            .tags(tags)
                            .description("1 when the check is REQUIRED, 0 when OPTIONAL")
                            .strongReference(true)
                            .register(registry));
        }

        List<Meter> all() {
            List<Meter> out = new ArrayList<>(gauges);
            out.add(duration);
            out.add(failures);
            return out;
        }
    }

    /** Feeds the event-driven meters. */
    private final class Events implements HealthListener {
        @Override
        public void onCheckEvaluated(CheckEntry entry) {
            CheckState s = state(entry.name());
            if (s == null) {
                return;
            }
            boolean down = entry.status() == Status.DOWN;
            for (Bound b : bound) {
                CheckMeters m = b.ensureCheck(s);
                m.duration.record(entry.duration());
                if (down) {
                    m.failures.increment();
                }
            }
        }

        @Override
        public void onProbeEvaluated(HealthReport report, Duration took) {
            for (String name : checks.keySet()) {
                if (health.latest(name) == null) {
                    syncChecks(); // a check was unregistered: its meters go
                    break;
                }
            }
            Probe p = report.scope().probe();
            if (p == null) {
                return; // every check or a group: no probe timer
            }
            for (Bound b : bound) {
                Timer t = b.probeDurations.get(p);
                if (t != null) {
                    t.record(took);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "HealthMetrics" + checks.keySet();
    }
}
