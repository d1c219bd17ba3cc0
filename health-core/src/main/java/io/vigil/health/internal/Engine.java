package io.vigil.health.internal;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckStatus;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.TaskLock;
import io.vigil.health.spi.LicenseCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The evaluation engine behind {@link io.vigil.health.HealthRegistry}: owns the runners, threads, locks,
 * license monitor and lifecycle flags.
 */
public final class Engine implements AutoCloseable {
    private static final long WAIT_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long a probe lets one thread run its new executions in turn before giving the rest threads of their own. */
    private static final long BATCH_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Clock clock;
    private final ExecutorService ownExecutor;
    private final Executor executor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Listeners listeners;
    private final LockTable locks;
    private final LicenseMonitor license;
    private final boolean licenseFailsLiveness;
    private final boolean startupChecksMarkStarted;

    private final Object registrationLock = new Object();
    // copy-on-write under registrationLock; read freely
    private volatile List<CheckRunner> runners = List.of();
    private final Map<String, ScheduledFuture<?>> refreshTasks = new ConcurrentHashMap<>();
    private final Map<String, Outcome> lastOutcomes = new ConcurrentHashMap<>();
    private volatile boolean started;
    private volatile boolean draining;
    private volatile boolean readinessWaitsForStart = true;
    private volatile boolean startupWaitsForStart = true;

    /**
     * @param clock                    time source for TTLs, breakers, locks and the license
     * @param executor                 caller's executor, or {@code null} for an own bounded pool
     * @param maxThreads               size bound of the own pool
     * @param licenseCheck             license check, or {@code null}
     * @param licenseTtl               how long a license state is reused
     * @param licenseFailsLiveness     whether an invalid license fails liveness too
     * @param startupChecksMarkStarted whether passing startup checks mark the application started
     * @param listeners                listeners
     */
    public Engine(Clock clock, Executor executor, int maxThreads, LicenseCheck licenseCheck, Duration licenseTtl,
                  boolean licenseFailsLiveness, boolean startupChecksMarkStarted, Listeners listeners) {
        this.clock = clock;
        this.listeners = listeners;
        if (executor == null) {
            ThreadPoolExecutor pool = new ThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS,
                    new SynchronousQueue<>(), new NamedThreads("vigil-health-check"));
            this.ownExecutor = pool;
            this.executor = pool;
        } else {
            this.ownExecutor = null;
            this.executor = executor;
        }
        this.scheduler = new ScheduledThreadPoolExecutor(1, new NamedThreads("vigil-health-timer"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.locks = new LockTable(clock, listeners);
        this.license = new LicenseMonitor(licenseCheck, clock, licenseTtl, listeners);
        this.licenseFailsLiveness = licenseFailsLiveness;
        this.startupChecksMarkStarted = startupChecksMarkStarted;
    }

    Clock clock() {
        return clock;
    }

    Executor executor() {
        return executor;
    }

    ScheduledThreadPoolExecutor scheduler() {
        return scheduler;
    }

    /** @return the listeners */
    public Listeners listeners() {
        return listeners;
    }

    /**
     * @param name   unique name
     * @param check  the check
     * @param policy its policy
     * @throws IllegalArgumentException if the name is taken
     */
    public void register(String name, HealthCheck check, CheckPolicy policy) {
        synchronized (registrationLock) {
            for (CheckRunner r : runners) {
                if (r.name().equals(name)) {
                    throw new IllegalArgumentException("a check named '" + name + "' is already registered");
                }
            }
            CheckRunner runner = new CheckRunner(name, check, policy, this);
            List<CheckRunner> next = new ArrayList<>(runners);
            next.add(runner);
            runners = List.copyOf(next);
            if (policy.refreshes()) {
                long period = policy.refreshPeriod().toNanos();
                refreshTasks.put(name, scheduler.scheduleWithFixedDelay(runner::refresh, 0, period,
                        TimeUnit.NANOSECONDS));
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
            ScheduledFuture<?> f = refreshTasks.remove(name);
            if (f != null) {
                f.cancel(false);
            }
            return removed;
        }
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
     * @param excluded check names to leave out
     * @return the report
     */
    public HealthReport evaluate(Scope scope, Collection<String> excluded) {
        long began = System.nanoTime();
        List<CheckRunner> all = runners;
        long now = clock.millis();
        int n = all.size();
        CheckStatus[] results = new CheckStatus[n];
        CheckRunner.Start[] pending = null;
        int fresh = 0;
        for (int i = 0; i < n; i++) {
            CheckRunner r = all.get(i);
            if (!scope.selects().test(r.policy()) || (!excluded.isEmpty() && excluded.contains(r.name()))) {
                continue; // results[i] stays null: not part of this report
            }
            CheckStatus s = r.cached(now);
            if (s == null) {
                if (pending == null) {
                    pending = new CheckRunner.Start[n];
                }
                pending[i] = r.begin(now);
                fresh += pending[i].isNew() ? 1 : 0;
            } else {
                results[i] = s;
            }
        }
        if (pending != null) {
            dispatch(pending, fresh);
            for (int i = 0; i < n; i++) {
                if (pending[i] != null) {
                    results[i] = await(all.get(i), pending[i]);
                }
            }
        }
        // every selected entry is set by now; compact them in place and copy once (HealthReport keeps this list)
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (results[i] != null) {
                results[k++] = results[i];
            }
        }
        List<CheckStatus> checks = List.of(k == n ? results : Arrays.copyOf(results, k));
        if (scope.semantics() == Semantics.STARTUP && !started && startupChecksMarkStarted && !checks.isEmpty()
                && checks.stream().noneMatch(c -> c.status() == Status.DOWN && c.failsProbe())) {
            markStarted();
        }
        List<LockInfo> held = locks.active();
        LicenseState lic = license.current();
        boolean waits = scope.semantics() == Semantics.STARTUP ? startupWaitsForStart : readinessWaitsForStart;
        HealthReport report = Verdicts.build(scope, checks,
                new Verdicts.Conditions(held, lic, licenseFailsLiveness, started || !waits, draining), clock.instant());
        // read before writing: a probe that changes nothing stores nothing, so concurrent probes do not contend
        if (lastOutcomes.get(scope.label()) != report.outcome()) {
            Outcome previous = lastOutcomes.put(scope.label(), report.outcome());
            if (previous != report.outcome()) {
                listeners.fire(l -> l.onOutcomeTransition(previous, report));
            }
        }
        long took = System.nanoTime() - began;
        listeners.fire(l -> l.onProbeEvaluated(report, Duration.ofNanos(took)));
        return report;
    }

    /**
     * Hands new executions to threads. One pool thread runs them in turn, which is all it takes when checks are
     * quick (one thread hand-off per probe instead of one per check). Executions that no thread has taken
     * after {@link #BATCH_GRACE_NANOS} get threads of their own, so slow checks still run in parallel, and a check
     * that never returns holds the one thread it is on.
     */
    private void dispatch(CheckRunner.Start[] pending, int fresh) {
        if (fresh == 0) {
            return;
        }
        CheckRunner.Execution[] batch = new CheckRunner.Execution[fresh];
        int k = 0;
        for (CheckRunner.Start s : pending) {
            if (s != null && s.isNew()) {
                batch[k++] = s.execution();
            }
        }
        if (fresh == 1) {
            submit(batch[0]);
            return;
        }
        CountDownLatch done = new CountDownLatch(1);
        try {
            executor.execute(() -> {
                try {
                    for (CheckRunner.Execution e : batch) {
                        e.run();
                    }
                } finally {
                    done.countDown();
                }
            });
        } catch (RejectedExecutionException e) {
            for (CheckRunner.Execution x : batch) {
                submit(x);
            }
            return;
        }
        boolean finished;
        try {
            finished = done.await(BATCH_GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        }
        if (!finished) {
            for (CheckRunner.Execution x : batch) {
                if (!x.claimed()) {
                    submit(x);
                }
            }
        }
    }

    private void submit(CheckRunner.Execution e) {
        try {
            executor.execute(e);
        } catch (RejectedExecutionException ex) {
            e.rejected();
        }
    }

    /** Waits for an entry until its execution's deadline, then expires the execution: every wait is bounded. */
    private static CheckStatus await(CheckRunner r, CheckRunner.Start s) {
        CompletableFuture<CheckStatus> f = s.future();
        CheckStatus done = f.getNow(null);
        if (done != null) {
            return done;
        }
        if (s.execution() == null) {
            return r.waitTimedOut(); // unreachable: answers without an execution are completed futures
        }
        long remaining = s.execution().deadlineNanos - System.nanoTime();
        try {
            if (remaining > 0) {
                return f.get(remaining, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            // expire below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s.execution().expire();
        try {
            return f.get(WAIT_GRACE_NANOS, TimeUnit.NANOSECONDS); // completed by expire(), or by a racing finish
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return r.waitTimedOut();
        } catch (ExecutionException | TimeoutException e) {
            return r.waitTimedOut();
        }
    }

    /**
     * @param name        lock name
     * @param description what the task does
     * @param maxDuration limit, or {@code null}
     * @return the held lock
     */
    public TaskLock lock(String name, String description, Duration maxDuration) {
        return locks.acquire(name, description, maxDuration);
    }

    /** @return held locks, oldest first */
    public List<LockInfo> locks() {
        return locks.active();
    }

    /** @return the license state, or {@code null} without a license check */
    public LicenseState license() {
        return license.current();
    }

    /** Marks the application started. */
    public void markStarted() {
        started = true;
    }

    /**
     * Chooses which probes answer "not finished starting" until {@link #markStarted()}.
     *
     * @param readiness whether readiness, the base path and groups wait
     * @param startup   whether startup waits
     */
    public void waitForStart(boolean readiness, boolean startup) {
        readinessWaitsForStart = readiness;
        startupWaitsForStart = startup;
    }

    /** @return whether started */
    public boolean isStarted() {
        return started;
    }

    /** Starts draining: readiness turns DOWN. */
    public void startDraining() {
        draining = true;
    }

    /** @return whether draining */
    public boolean isDraining() {
        return draining;
    }

    /** @return a name → latest entry view, without evaluating anything */
    public Map<String, CheckStatus> latest() {
        Map<String, CheckStatus> out = new LinkedHashMap<>();
        for (CheckRunner r : runners) {
            out.put(r.name(), r.latest());
        }
        return out;
    }

    /**
     * @param probe a probe
     * @return the last outcome evaluated for it, or {@code null}
     */
    public Outcome lastOutcome(Probe probe) {
        return lastOutcomes.get(Scope.of(probe).label());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        if (ownExecutor != null) {
            ownExecutor.shutdownNow();
        }
    }
}
