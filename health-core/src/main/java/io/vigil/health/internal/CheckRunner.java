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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    private CompletableFuture<CheckStatus> inFlight;
    private ScheduledFuture<?> timeoutTask;
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
     * Starts an evaluation, or joins the one in flight.
     *
     * @param now clock millis
     * @return a future completed with the entry within the policy's timeout
     */
    CompletableFuture<CheckStatus> start(long now) {
                CompletableFuture<CheckStatus> result;
        synchronized (lock) {
            if (inFlight != null) {
                return inFlight;
            }
            long wait = breaker == BreakerState.OPEN ? openedAt + policy.breakerBackoff().toMillis() - now : 0;
            if (wait > 0) {
                return CompletableFuture.completedFuture(openView(wait));
            }
            if (running) {
                // the previous execution overran its timeout and is still stuck; do not start another
                Snapshot s = snapshot;
                return CompletableFuture.completedFuture(s == null ? neverRun : s.cached);
            }
            if (breaker == BreakerState.OPEN) {
                setBreaker(BreakerState.HALF_OPEN); // this execution is the trial
            }
            CompletableFuture<CheckStatus> f = new CompletableFuture<>();
            inFlight = f;
            running = true;
            long startNanos = System.nanoTime();
            try {
                engine.executor().execute(() -> execute(f, startNanos));
                timeoutTask = engine.scheduler().schedule(() -> timedOut(f, startNanos),
                        policy.timeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                running = false;
                CheckResult r = CheckResult.down("no engine thread available to run the check");
                f.complete(finishLocked(f, r, Cause.REJECTED, Duration.ZERO));
            }
            result = f;
        }
        deliver();
        return result;
    }

    private void execute(CompletableFuture<CheckStatus> f, long startNanos) {
        synchronized (lock) {
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
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
                CheckStatus status = null;
        synchronized (lock) {
            running = false;
            worker = null;
            Thread.interrupted(); // clear an interrupt from a timeout that raced with completion
            if (inFlight == f) {
                if (timeoutTask != null) {
                    timeoutTask.cancel(false);
                }
                status = finishLocked(f, r, cause, took);
            } else {
                LOG.atDebug().addKeyValue("check", name).addKeyValue("durationMs", took.toMillis())
                        .log("late result of a timed-out health check ignored");
            }
        }
        if (status != null) {
            fireAndComplete(f, status);
        }
    }

    private void timedOut(CompletableFuture<CheckStatus> f, long startNanos) {
                CheckStatus status;
        synchronized (lock) {
            if (inFlight != f) {
                return;
            }
            if (worker != null) {
                worker.interrupt(); // helps checks blocked in interruptible calls; the rest keep their one thread
            }
            CheckResult r = CheckResult.down("timed out after " + policy.timeout().toMillis() + " ms");
            status = finishLocked(f, r, Cause.TIMEOUT, Duration.ofNanos(System.nanoTime() - startNanos));
        }
        fireAndComplete(f, status);
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
    private CheckStatus finishLocked(CompletableFuture<CheckStatus> f, CheckResult r, Cause cause, Duration took) {
        try {
            return record(r, cause, took);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("check", name).setCause(Secrets.redacted(e))
                    .log("recording a health check result failed");
            inFlight = null;
            timeoutTask = null;
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
        inFlight = null;
        timeoutTask = null;
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

    /** Background refresh tick: starts an evaluation unless one is running. */
    void refresh() {
        start(engine.clock().millis());
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
