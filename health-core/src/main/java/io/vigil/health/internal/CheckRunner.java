package io.vigil.health.internal;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.CheckStatus;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one registered check: single-flight, timeout, cache, flap damping and circuit breaker. At most one
 * thread ever executes the check: while an execution is running (even one that overran its timeout), no
 * other starts, so a check that never returns costs exactly one thread.
 */
public final class CheckRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    private final String name;
    private final HealthCheck check;
    private final CheckPolicy policy;
    private final Engine engine;
    private final long ttlMillis;
    private final CheckStatus neverRun;

    /** Latest result with its cached view; read without locking on the hot path. */
    private volatile Snapshot snapshot;

    private final ConcurrentLinkedQueue<Consumer<HealthListener>> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private final Object lock = new Object();
    // all fields below guarded by lock
    private Execution current; // the execution in flight, joined by concurrent callers
    private Thread worker;
    private boolean running;
    private int failures;
    private int successes;
    private BreakerState breaker = BreakerState.CLOSED;
    private long openedAt;

    private record Snapshot(CheckStatus fresh, CheckStatus cached, long at) {
    }

    CheckRunner(String name, HealthCheck check, CheckPolicy policy, Engine engine) {
        this.name = name;
        this.check = check;
        this.policy = policy;
        this.engine = engine;
        this.ttlMillis = policy.cacheTtl().toMillis();
        this.neverRun = new CheckStatus(name, Status.DOWN, policy.criticality(), check.kind(), Cause.NEVER_RUN,
                "not checked yet", Map.of(), Duration.ZERO, false, null, BreakerState.CLOSED, null);
    }

    /** @return the registered name */
    public String name() {
        return name;
    }

    /** @return the registration policy */
    public CheckPolicy policy() {
        return policy;
    }

    /** @return the latest known entry without evaluating: the never-run entry if none */
    public CheckStatus latest() {
        Snapshot s = snapshot;
        return s == null ? neverRun : s.cached;
    }

    /**
     * The cheap path: a result that may be served without running the check.
     *
     * @param now clock millis
     * @return the entry to serve, or {@code null} when the check must run
     */
    CheckStatus cached(long now) {
        Snapshot s = snapshot;
        if (policy.refreshes()) {
            return s == null ? neverRun : s.cached;
        }
        if (s != null && ttlMillis > 0 && now - s.at < ttlMillis) {
            return s.cached;
        }
        return null;
    }

    /**
     * One execution of the check: prepared under the lock, run at most once by whoever claims it first (a
     * batch thread, a pool thread of its own, or nobody when it timed out before anyone could start it).
     */
    final class Execution implements Runnable {
        final CompletableFuture<CheckStatus> future = new CompletableFuture<>();
        final long deadlineNanos;
        private final AtomicBoolean claimed = new AtomicBoolean();

        Execution(long deadlineNanos) {
            this.deadlineNanos = deadlineNanos;
        }

        /** @return whether a thread has taken (or cancelled) this execution */
        boolean claimed() {
            return claimed.get();
        }

        @Override
        public void run() {
            if (claimed.compareAndSet(false, true)) {
                execute(this);
            }
        }

        /** Records that no thread could be found to run it. */
        void rejected() {
            if (claimed.compareAndSet(false, true)) {
                CheckStatus status;
                synchronized (lock) {
                    running = false;
                    if (current != this) {
                        return;
                    }
                    status = finishLocked(CheckResult.down("no engine thread available to run the check"),
                            Cause.REJECTED, Duration.ZERO);
                }
                fireAndComplete(future, status);
            }
        }

        /** Records a timeout unless the execution finished; for waiters whose deadline passed. */
        void expire() {
            timedOut(this);
        }
    }

    /**
     * What a caller gets from {@link #begin}: a future, and the execution behind it (absent for answers given
     * without one: open breaker, stuck check). A new execution ({@code isNew}) must be handed to a thread by the
     * caller; any waiter whose wait reaches the execution's deadline expires it.
     */
    record Start(CompletableFuture<CheckStatus> future, Execution execution, boolean isNew) {
    }

    /**
     * Starts an evaluation, or joins the one in flight. A new execution is returned unstarted: the caller hands
     * it to a thread and enforces its deadline with {@link Execution#expire()}.
     *
     * @param now clock millis
     * @return the future and, for a new execution, the execution to run
     */
    Start begin(long now) {
        Start result;
        synchronized (lock) {
            if (current != null) {
                return new Start(current.future, current, false);
            }
            long wait = breaker == BreakerState.OPEN ? openedAt + policy.breakerBackoff().toMillis() - now : 0;
            if (wait > 0) {
                return new Start(CompletableFuture.completedFuture(openView(wait)), null, false);
            }
            if (running) {
                // the previous execution overran its timeout and is still stuck; do not start another
                Snapshot s = snapshot;
                return new Start(CompletableFuture.completedFuture(s == null ? neverRun : s.cached), null, false);
            }
            if (breaker == BreakerState.OPEN) {
                setBreaker(BreakerState.HALF_OPEN); // this execution is the trial
            }
            Execution e = new Execution(System.nanoTime() + policy.timeout().toNanos());
            current = e;
            running = true;
            result = new Start(e.future, e, true);
        }
        deliver();
        return result;
    }

    /** Background refresh tick: starts an execution on a pool thread, with a timer enforcing its timeout. */
    void refresh() {
        Start s = begin(engine.clock().millis());
        if (!s.isNew()) {
            return;
        }
        Execution e = s.execution();
        try {
            engine.executor().execute(e);
            engine.scheduler().schedule(e::expire, policy.timeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException ex) {
            e.rejected();
        }
    }

    private void execute(Execution e) {
        long began = System.nanoTime();
        synchronized (lock) {
            if (current != e) {
                running = false; // expired before it began: nothing runs
                return;
            }
            worker = Thread.currentThread();
        }
        CheckResult r;
        Cause cause = Cause.REPORTED;
        try {
            r = check.check();
            if (r == null) {
                r = CheckResult.down("check returned no result");
                cause = Cause.EXCEPTION;
            }
        } catch (Throwable t) { // NOPMD: a check must never take the engine down with it
            LOG.atDebug().addKeyValue("check", name).setCause(Secrets.redacted(t)).log("health check threw");
            r = CheckResult.down(Secrets.describe(t));
            cause = Cause.EXCEPTION;
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        CheckStatus status = null;
        synchronized (lock) {
            running = false;
            worker = null;
            Thread.interrupted(); // clear an interrupt from a timeout that raced with completion
            if (current == e) {
                status = finishLocked(r, cause, took);
            } else {
                LOG.atDebug().addKeyValue("check", name).addKeyValue("durationMs", took.toMillis())
                        .log("late result of a timed-out health check ignored");
            }
        }
        if (status != null) {
            fireAndComplete(e.future, status);
        }
    }

    private void timedOut(Execution e) {
        CheckStatus status;
        synchronized (lock) {
            if (current != e) {
                return;
            }
            if (e.claimed.compareAndSet(false, true)) {
                running = false; // no thread ever took it: nothing is stuck
            } else if (worker != null) {
                worker.interrupt(); // helps checks blocked in interruptible calls; the rest keep their one thread
            }
            CheckResult r = CheckResult.down("timed out after " + policy.timeout().toMillis() + " ms");
            status = finishLocked(r, Cause.TIMEOUT, policy.timeout());
        }
        fireAndComplete(e.future, status);
    }

    private void fireAndComplete(CompletableFuture<CheckStatus> f, CheckStatus status) {
        deliver(); // listeners (metrics, logs) see the result before the waiting probes return
        f.complete(status);
    }

    /** Queues an event; called under the lock so that events keep the order of the state changes. */
    private void emit(Consumer<HealthListener> event) {
        events.add(event);
    }

    /** Delivers queued events in order, outside the lock, one deliverer at a time. */
    private void deliver() {
        while (!events.isEmpty() && delivering.compareAndSet(false, true)) {
            try {
                Consumer<HealthListener> e;
                while ((e = events.poll()) != null) {
                    engine.listeners().fire(e);
                }
            } finally {
                delivering.set(false);
            }
        }
    }

    /**
     * Applies flap damping and the breaker and publishes the result; caller holds the lock and completes f.
     * Never throws: whatever happens, the evaluation in flight is finished, so no probe waits on it forever.
     */
    private CheckStatus finishLocked(CheckResult r, Cause cause, Duration took) {
        try {
            return record(r, cause, took);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("check", name).setCause(Secrets.redacted(e))
                    .log("recording a health check result failed");
            current = null;
            return new CheckStatus(name, Status.DOWN, policy.criticality(), check.kind(), Cause.EXCEPTION,
                    "recording the result failed", Map.of(), took, false, null, breaker, null);
        }
    }

    private CheckStatus record(CheckResult r, Cause cause, Duration took) {
        long now = engine.clock().millis();
        Snapshot prev = snapshot;
        Status before = prev == null ? null : prev.fresh.status();
        boolean failure = r.status() == Status.DOWN;
        String message = Secrets.redact(r.message());
        Status reported;
        if (failure) {
            failures++;
            successes = 0;
            reported = before == null || before == Status.DOWN || failures >= policy.failureThreshold()
                    ? Status.DOWN : before;
            if (reported != Status.DOWN) {
                message = "tolerated failure " + failures + "/" + policy.failureThreshold() + ": " + message;
            }
        } else {
            successes++;
            failures = 0;
            reported = before != Status.DOWN || successes >= policy.successThreshold() ? r.status() : Status.DOWN;
            if (reported == Status.DOWN) {
                message = "recovering, success " + successes + "/" + policy.successThreshold();
            }
        }
        if (policy.hasBreaker()) {
            if (failure && (breaker == BreakerState.HALF_OPEN || failures >= policy.breakerFailures())) {
                if (breaker != BreakerState.OPEN) {
                    setBreaker(BreakerState.OPEN);
                }
                openedAt = now;
            } else if (!failure && breaker != BreakerState.CLOSED) {
                setBreaker(BreakerState.CLOSED);
            }
        }
        Duration retryAfter = breaker == BreakerState.OPEN ? policy.breakerBackoff() : null;
        CheckStatus status = new CheckStatus(name, reported, policy.criticality(), check.kind(), cause, message,
                r.data(), took, false, Instant.ofEpochMilli(now), breaker, retryAfter);
        snapshot = new Snapshot(status, status.asCached(), now);
        current = null;
        emit(l -> l.onCheckEvaluated(status));
        if (before != reported) {
            emit(l -> l.onCheckTransition(before, status));
        }
        return status;
    }

    private void setBreaker(BreakerState to) {
        BreakerState from = breaker;
        breaker = to;
        emit(l -> l.onBreakerTransition(name, from, to));
    }

    private CheckStatus openView(long waitMillis) {
        Snapshot s = snapshot;
        CheckStatus last = s == null ? neverRun : s.fresh;
        return new CheckStatus(name, Status.DOWN, policy.criticality(), check.kind(), Cause.CIRCUIT_OPEN,
                "circuit open after repeated failures; last: " + last.message(), last.data(), last.duration(),
                true, last.checkedAt(), BreakerState.OPEN, Duration.ofMillis(waitMillis));
    }

    /** @return the breaker's state (for metrics) */
    public BreakerState breakerState() {
        synchronized (lock) {
            return breaker;
        }
    }

    /**
     * Synthesised entry when a wait for the future itself overran (should not happen: the timer completes it).
     *
     * @return a timeout entry, not recorded
     */
    CheckStatus waitTimedOut() {
        return new CheckStatus(name, Status.DOWN, policy.criticality(), check.kind(), Cause.TIMEOUT,
                "timed out after " + policy.timeout().toMillis() + " ms", Map.of(), policy.timeout(), false,
                null, breakerState(), null);
    }
}
