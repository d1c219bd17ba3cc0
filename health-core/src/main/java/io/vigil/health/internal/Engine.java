package io.vigil.health.internal;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.EngineStats;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Status;
import io.vigil.health.TaskLock;
import io.vigil.health.Ticker;
import io.vigil.health.Transition;
import io.vigil.health.spi.HealthListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The evaluation engine behind {@link io.vigil.health.HealthRegistry}: owns the runners, lanes, events, locks,
 * license monitor and lifecycle flags. Evaluations with exclusions, and those of an interrupted caller, are views:
 * they record no outcome, mark nothing started and publish no probe events.
 */
public final class Engine implements AutoCloseable {
    private final Clock clock;
    private final Ticker ticker;
    private final Lanes lanes;
    private final ScheduledThreadPoolExecutor scheduler;
    private final EventBus events;
    private final LongAdder rejections = new LongAdder(); // evaluations that found no thread for a check
    private final LockTable locks;
    private final LicenseMonitor license;
    private final boolean licenseFailsLiveness;
    private final boolean startupChecksMarkStarted;
    private final boolean readinessWaitsForStart;
    private final boolean startupWaitsForStart;

    private final Object registrationLock = new Object();
    // copy-on-write under registrationLock; read freely
    private volatile List<CheckRunner> runners = List.of();
    private volatile Map<String, CheckRunner> byName = Map.of(); // the same runners, replaced with them
    private final Map<String, Slot> slots = new ConcurrentHashMap<>(); // outlive runners while busy
    private final Map<String, ScheduledFuture<?>> refreshTasks = new ConcurrentHashMap<>();
    /** Per scope its last outcome and since when; changed only when the outcome changes. */
    private final Map<Scope, ProbeMemory> probes = new ConcurrentHashMap<>();

    private final int historySize;
    /** Counts check transitions: the merged transitions of a scope are recomputed only when it moved. */
    private final AtomicLong transitionCount = new AtomicLong();

    private final Map<Scope, Merged> merged = new ConcurrentHashMap<>();
    /** Advanced after every recorded result of any check: the version stamp of the served entries. */
    private final AtomicLong recorded = new AtomicLong();
    /** Per scope the entries last served wholly from the cache, reused while nothing was recorded and none expired. */
    private final Map<Scope, Served> served = new ConcurrentHashMap<>();

    private volatile boolean started;
    private volatile boolean draining;
    private volatile boolean closed;
    private final ServiceControl service;

    /** @param config what the engine is built from */
    public Engine(EngineConfig config) {
        this.clock = config.clock();
        this.ticker = config.ticker();
        this.events = new EventBus(config.eventQueueCapacity());
        config.listeners().forEach(events::add);
        this.lanes = new Lanes(config.executor(), config.maxThreads(), config.livenessThreads());
        this.scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads("vigil-health-timer"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.locks = new LockTable(clock, ticker, events);
        this.license =
                new LicenseMonitor(config.license(), ticker, config.licenseTtl(), config.licenseTimeout(), events);
        this.licenseFailsLiveness = config.licenseFailsLiveness();
        this.startupChecksMarkStarted = config.startupChecksMarkStarted();
        this.readinessWaitsForStart = config.notStartedProbes().contains(Probe.READINESS);
        this.startupWaitsForStart = config.notStartedProbes().contains(Probe.STARTUP);
        this.started = config.startedImmediately();
        this.historySize = config.historySize();
        this.service = new ServiceControl(clock);
    }

    /** A scope's last recorded outcome and when it began. */
    private record ProbeMemory(Outcome outcome, Instant since) {}

    /** A scope's merged transitions, valid while neither the transition count nor the registrations moved. */
    private record Merged(long count, List<CheckRunner> runners, List<Transition> transitions) {}

    /**
     * A scope's entries served from the cache: valid while the version stamp and the registrations did not move and
     * the ticker is before {@code until}. A cached probe then costs constant time and allocates no entry array.
     */
    private record Served(long version, List<CheckRunner> runners, long until, List<CheckEntry> checks) {}

    /** @param listener added after construction (metrics binders) */
    public void addListener(HealthListener listener) {
        events.add(listener);
    }

    /**
     * @param name   unique name
     * @param check  the check
     * @param policy its policy
     * @throws IllegalArgumentException if the name is taken
     * @throws IllegalStateException    after {@link #close()}
     */
    public void register(String name, HealthCheck check, CheckPolicy policy) {
        synchronized (registrationLock) {
            if (closed) {
                throw new IllegalStateException("the health registry is closed");
            }
            for (CheckRunner r : runners) {
                if (r.name().equals(name)) {
                    throw new IllegalArgumentException("a check named '" + name + "' is already registered");
                }
            }
            // a slot still held by a hung execution of an earlier registration under this name is kept
            // a slot still held by an execution of an earlier registration under this name is kept: one past its
            // timeout makes the new registration's evaluations fail ("still running"), one within it does not
            Slot slot = slots.compute(name, (k, old) -> old != null && old.busy() ? old : new Slot());
            CheckRunner runner = new CheckRunner(
                    name,
                    check,
                    policy,
                    lanes.of(policy),
                    lanes.overflow(),
                    slot,
                    events,
                    clock,
                    ticker,
                    rejections,
                    historySize,
                    transitionCount::incrementAndGet,
                    recorded);
            List<CheckRunner> next = new ArrayList<>(runners);
            next.add(runner);
            runners = List.copyOf(next);
            byName = index(runners);
            if (policy.refreshes()) {
                long period = policy.refreshPeriod().toNanos();
                refreshTasks.put(
                        name,
                        scheduler.scheduleWithFixedDelay(
                                new BackgroundRefresh(runner, scheduler), 0, period, TimeUnit.NANOSECONDS));
            }
        }
    }

    /**
     * @param name a registered name
     * @return whether a check was removed
     */
    public boolean unregister(String name) {
        synchronized (registrationLock) {
            List<CheckRunner> next = new ArrayList<>(runners);
            boolean removed = next.removeIf(r -> r.name().equals(name));
            runners = List.copyOf(next);
            byName = index(runners);
            ScheduledFuture<?> f = refreshTasks.remove(name);
            if (f != null) {
                f.cancel(false);
            }
            slots.computeIfPresent(name, (k, s) -> s.busy() ? s : null);
            return removed;
        }
    }

    private static Map<String, CheckRunner> index(List<CheckRunner> runners) {
        Map<String, CheckRunner> m = new HashMap<>(runners.size() * 4 / 3 + 1);
        runners.forEach(r -> m.put(r.name(), r));
        return Collections.unmodifiableMap(m);
    }

    /** @return runners in registration order */
    public List<CheckRunner> runners() {
        return runners;
    }

    /**
     * @param group a group name
     * @return whether any registered check belongs to it
     */
    public boolean hasGroup(String group) {
        for (CheckRunner r : runners) {
            if (r.policy().groups().contains(group)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Evaluates the checks of a scope in parallel, each under its timeout, and builds the report.
     *
     * @param scope    what to evaluate
     * @param excluded check names to leave out; with any, the evaluation is a view
     * @return the report
     */
    public HealthReport evaluate(Scope scope, Collection<String> excluded) {
        long began = System.nanoTime();
        List<CheckRunner> all = runners;
        boolean interrupted = false;
        long now = ticker.read();
        long version = recorded.get(); // read before the entries: a result recorded meanwhile moves it
        Served memo = excluded.isEmpty() ? served.get(scope) : null;
        List<CheckEntry> checks;
        if (memo != null && memo.version() == version && memo.runners() == all && memo.until() - now > 0) {
            checks = memo.checks();
        } else {
            CheckEntry[] results = new CheckEntry[all.size()];
            boolean cachedOnly = Evaluation.serveCached(all, scope, excluded, now, results);
            if (!cachedOnly) {
                Evaluation evaluation = new Evaluation(all, ticker, results);
                evaluation.collect(scope, excluded);
                evaluation.run();
                interrupted = evaluation.interrupted();
            }
            checks = Evaluation.compact(results);
            if (cachedOnly && excluded.isEmpty()) {
                remember(scope, all, version, now, checks);
            }
        }
        boolean view = interrupted || !excluded.isEmpty();
        if (!view
                && Semantics.of(scope) == Semantics.STARTUP
                && !started
                && startupChecksMarkStarted
                && !checks.isEmpty()
                && checks.stream().noneMatch(c -> c.status() == Status.DOWN && c.failsProbe())) {
            markStarted();
        }
        List<LockInfo> held = locks.active();
        LicenseState lic = license.current();
        boolean waits = Semantics.of(scope) == Semantics.STARTUP ? startupWaitsForStart : readinessWaitsForStart;
        Instant at = clock.instant();
        ProbeMemory before = probes.get(scope);
        HealthReport report = Verdicts.build(
                scope,
                checks,
                new Verdicts.Conditions(
                        held,
                        held.isEmpty() ? null : locks.untilAllExpire(),
                        lic,
                        licenseFailsLiveness,
                        started || !waits,
                        draining,
                        closed,
                        service.current()),
                at,
                transitions(scope, all, excluded),
                o -> before != null && before.outcome() == o ? before.since() : view ? null : at);
        if (view) {
            return report;
        }
        // read before writing: a probe that changes nothing stores nothing, so concurrent probes do not contend
        if (before == null || before.outcome() != report.outcome()) {
            rememberOutcome(scope, report, at);
        }
        if (events.wants(EventBus.Kind.PROBE_EVALUATED)) {
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            events.publish(EventBus.Kind.PROBE_EVALUATED, l -> l.onProbeEvaluated(report, took));
        }
        return report;
    }

    /** Memoises entries served wholly from the cache, until the first of them would change. */
    private void remember(Scope scope, List<CheckRunner> all, long version, long now, List<CheckEntry> checks) {
        long until = now + (Long.MAX_VALUE >> 1);
        for (CheckRunner r : all) {
            if (scope.selects(r.policy())) {
                long u = r.cachedUntil(now);
                if (u - until < 0) {
                    until = u;
                }
            }
        }
        if (until - now > 0) {
            served.put(scope, new Served(version, all, until, checks));
        }
    }

    /**
     * Stores a scope's new outcome unless a concurrent probe stored the same first; publishes the transition once.
     */
    private void rememberOutcome(Scope scope, HealthReport report, Instant at) {
        ProbeMemory next = new ProbeMemory(report.outcome(), at);
        while (true) {
            ProbeMemory old = probes.get(scope);
            if (old != null && old.outcome() == report.outcome()) {
                return; // a concurrent probe recorded it first
            }
            if (old == null ? probes.putIfAbsent(scope, next) == null : probes.replace(scope, old, next)) {
                Outcome from = old == null ? null : old.outcome();
                events.publish(EventBus.Kind.OUTCOME_TRANSITION, l -> l.onOutcomeTransition(from, report));
                return;
            }
        }
    }

    /**
     * The recent transitions of a scope's checks, newest first, trimmed to the history size. Memoised per scope
     * until a transition happens or the registrations change, so a probe that changes nothing allocates nothing
     * here; views with exclusions compute theirs and keep nothing.
     */
    private List<Transition> transitions(Scope scope, List<CheckRunner> all, Collection<String> excluded) {
        long count = transitionCount.get();
        if (count == 0) {
            return List.of();
        }
        if (excluded.isEmpty()) {
            Merged m = merged.get(scope);
            if (m != null && m.count() == count && m.runners() == all) {
                return m.transitions();
            }
        }
        List<CheckHistory.Recent> parts = new ArrayList<>();
        for (CheckRunner r : all) {
            if (scope.selects(r.policy()) && (excluded.isEmpty() || !excluded.contains(r.name()))) {
                parts.add(r.history().recentWithSequence());
            }
        }
        // each part is newest first; merged by the engine's own transition sequence, so a wall clock stepped back
        // reorders nothing
        int[] heads = new int[parts.size()];
        List<Transition> out = new ArrayList<>();
        while (out.size() < historySize) {
            int best = -1;
            long bestSeq = Long.MIN_VALUE;
            for (int p = 0; p < heads.length; p++) {
                long[] seq = parts.get(p).sequence();
                if (heads[p] < seq.length && seq[heads[p]] > bestSeq) {
                    best = p;
                    bestSeq = seq[heads[p]];
                }
            }
            if (best < 0) {
                break;
            }
            out.add(parts.get(best).transitions().get(heads[best]++));
        }
        List<Transition> list = List.copyOf(out);
        if (excluded.isEmpty()) {
            merged.put(scope, new Merged(count, all, list));
        }
        return list;
    }

    /**
     * @param name        lock name
     * @param description what the task does
     * @param maxDuration limit, or {@code null}
     * @return the held lock
     */
    public TaskLock lock(String name, String description, @Nullable Duration maxDuration) {
        return locks.acquire(name, description, maxDuration);
    }

    /** @return held locks, oldest first */
    public List<LockInfo> locks() {
        return locks.active();
    }

    /** @return the license state, or {@code null} without a license check */
    public @Nullable LicenseState license() {
        return license.current();
    }

    /** Marks the application started; the first time, listeners hear of it. */
    public void markStarted() {
        if (!started) {
            synchronized (this) {
                if (started) {
                    return;
                }
                started = true;
            }
            events.publish(EventBus.Kind.STARTED, HealthListener::onStarted);
        }
    }

    /** @return whether started */
    public boolean isStarted() {
        return started;
    }

    /** Starts draining: readiness turns DOWN; the first time, listeners hear of it. */
    public void startDraining() {
        if (!draining) {
            synchronized (this) {
                if (draining) {
                    return;
                }
                draining = true;
            }
            events.publish(EventBus.Kind.DRAINING_STARTED, HealthListener::onDrainingStarted);
        }
    }

    /** @return the operator's out-of-service switch */
    public ServiceControl service() {
        return service;
    }

    /** @return whether draining (or closed) */
    public boolean isDraining() {
        return draining || closed;
    }

    /** @return name → latest entry, in registration order, without evaluating anything; unmodifiable */
    public Map<String, CheckEntry> latest() {
        List<CheckRunner> all = runners;
        Map<String, CheckEntry> out = new LinkedHashMap<>(all.size() * 4 / 3 + 1);
        for (CheckRunner r : all) {
            out.put(r.name(), r.latest());
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * @param name a check name
     * @return its latest entry without evaluating anything, or {@code null} if no such check is registered
     */
    public @Nullable CheckEntry latest(String name) {
        CheckRunner r = byName.get(name);
        return r == null ? null : r.latest();
    }

    /**
     * @param probe a probe
     * @return the last outcome evaluated for it, or {@code null}
     */
    public @Nullable Outcome lastOutcome(Probe probe) {
        ProbeMemory m = probes.get(Scope.of(probe));
        return m == null ? null : m.outcome();
    }

    /**
     * @param timeout the longest wait
     * @return whether every event published so far reached its listeners in time
     */
    public boolean flushEvents(Duration timeout) {
        try {
            return events.flush(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** @return the engine's trouble counters */
    public EngineStats stats() {
        long now = System.nanoTime();
        int stuck = 0;
        for (Slot s : slots.values()) {
            stuck += s.stuck(now) ? 1 : 0;
        }
        return new EngineStats(stuck, rejections.sum(), events.failures(), events.dropped(), license.graceAnswers());
    }

    /**
     * Orderly shutdown: probes in flight get their answers; from now on no check starts, readiness and startup
     * answer DOWN ("shutting down") and liveness answers from the latest results. Threads end once idle.
     */
    @Override
    public void close() {
        synchronized (registrationLock) {
            if (closed) {
                return;
            }
            closed = true;
            for (CheckRunner r : runners) {
                r.close();
            }
            refreshTasks.values().forEach(f -> f.cancel(false));
            refreshTasks.clear();
        }
        scheduler.shutdown();
        lanes.close();
        license.close();
        events.close();
    }
}
