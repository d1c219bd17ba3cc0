package io.vigil.health.internal;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one registered check. It composes small parts, each with one job: the {@link Slot} (at most one execution
 * at a time, even across re-registration), the result cache (a volatile snapshot, read without locking), the
 * {@link Damper} (thresholds) and the {@link Breaker}. Decisions use the monotonic ticker; waits use real time.
 *
 * <p>Executions: {@link #begin} starts one or joins the one in flight. Whoever waits for it enforces its deadline
 * ({@link Execution#expire()}); an execution still running past its deadline holds the slot, and every evaluation
 * that would have started a new one records a failure instead ("still running after N ms"), so thresholds, the
 * breaker and alerts see a hung dependency while it costs one thread, never more.
 */
public final class CheckRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    private final String name;
    private final HealthCheck check;
    private final CheckPolicy policy;
    private final Executor lane;
    private final Slot slot;
    private final EventBus events;
    private final Clock clock;
    private final Ticker ticker;
    private final LongAdder rejections;
    private final long ttlNanos;
    private final long staleNanos;
    private final CheckEntry neverRun;
    /** Declared non-blocking (policy or check): executions for probes run on the caller's thread until demoted. */
    private final boolean declaredInline;
    /** The check as an asynchronous one, or {@code null}: its executions start a stage and hold no thread. */
    private final AsyncHealthCheck async;
    private final AtomicBoolean demoted = new AtomicBoolean();

    /** Latest recorded result with its cached view and monotonic time; read without locking on the hot path. */
    private volatile Snapshot snapshot;
    private volatile boolean closed;

    private final Object lock = new Object();
    // guarded by lock
    private Execution current; // the execution in flight, joined by concurrent callers
    private final Damper damper;
    private final Breaker breaker;
    private final CheckHistory history;
    private final Runnable onTransition;

    /** A recorded result; its cached view is made when first served (never, for a check with no cache). */
    private static final class Snapshot {
        final CheckEntry fresh;
        final long at;
        private CheckEntry cached; // racy but idempotent: every thread computes an equal immutable view

        Snapshot(CheckEntry fresh, long at) {
            this.fresh = fresh;
            this.at = at;
        }

        CheckEntry cached() {
            CheckEntry c = cached;
            if (c == null) {
                c = fresh.asCached();
                cached = c;
            }
            return c;
        }
    }

    CheckRunner(String name, HealthCheck check, CheckPolicy policy, Executor lane, Slot slot, EventBus events,
                Clock clock, Ticker ticker, LongAdder rejections, int historySize, Runnable onTransition) {
        this.name = name;
        this.check = check;
        this.policy = policy;
        this.lane = lane;
        this.slot = slot;
        this.events = events;
        this.clock = clock;
        this.ticker = ticker;
        this.rejections = rejections;
        this.ttlNanos = policy.cacheTtl().toNanos();
        long period = policy.refreshPeriod().toNanos();
        this.staleNanos = Math.max(3 * period, period + policy.timeout().toNanos());
        this.damper = new Damper(policy.failureThreshold(), policy.successThreshold());
        this.breaker = new Breaker(policy.breakerFailures(), policy.breakerBackoff());
        this.history = new CheckHistory(name, historySize);
        this.onTransition = onTransition;
        this.neverRun = entry(Status.DOWN, Cause.NEVER_RUN, "not checked yet", Map.of(), Duration.ZERO, false, null,
                BreakerState.CLOSED, null);
        this.async = check instanceof AsyncHealthCheck a ? a : null;
        // an asynchronous check only starts its call on the caller's thread
        this.declaredInline = policy.nonBlocking() || check.nonBlocking() || async != null;
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
    public CheckEntry latest() {
        Snapshot s = snapshot;
        if (s == null) {
            return neverRun;
        }
        return policy.refreshes() && ticker.read() - s.at > staleNanos ? stale(s) : s.cached();
    }

    /**
     * The cheap path: a result that may be served without running the check.
     *
     * @param now ticker nanos
     * @return the entry to serve, or {@code null} when the check must run
     */
    CheckEntry cached(long now) {
        Snapshot s = snapshot;
        if (policy.refreshes()) {
            if (s == null) {
                return neverRun;
            }
            return now - s.at > staleNanos ? stale(s) : s.cached();
        }
        if (s != null && ttlNanos > 0 && now - s.at < ttlNanos) {
            return s.cached();
        }
        if (closed) {
            return s == null ? neverRun : s.cached(); // no check starts after close
        }
        return null;
    }

    /** @return whether executions for probes run on the caller's thread (declared non-blocking, not demoted) */
    boolean inline() {
        return declaredInline && !demoted.get();
    }

    /** Moves a non-blocking check to the pooled lane for good; the first time, says so at WARN. */
    private void demote(String why) {
        if (demoted.compareAndSet(false, true)) {
            LOG.atWarn().addKeyValue("check", name).addKeyValue("timeoutMs", policy.timeout().toMillis())
                    .log("a non-blocking health check " + why + "; it runs on the engine's threads from now on");
        }
    }

    /**
     * One execution of the check, run at most once by whoever claims it first; it is also the future its waiters
     * wait on (one object per execution).
     */
    final class Execution extends CompletableFuture<CheckEntry> implements Runnable {
        private static final AtomicIntegerFieldUpdater<Execution> CLAIMED =
                AtomicIntegerFieldUpdater.newUpdater(Execution.class, "claimed");
        /** {@link System#nanoTime()} by which the execution must have finished. */
        final long deadlineNanos;
        /** Whether the probing caller runs it itself ({@link #runOnCaller()}) instead of handing it to a lane. */
        final boolean onCaller;
        private volatile int claimed; // 1 once a thread has taken (or cancelled) it; via CLAIMED
        /** The stage of an asynchronous check once started, cancelled at the deadline. */
        private volatile CompletableFuture<?> stage;

        Execution(long deadlineNanos, boolean onCaller) {
            this.deadlineNanos = deadlineNanos;
            this.onCaller = onCaller;
        }

        /**
         * Runs the execution on the calling thread; whatever the check throws, Errors included, is its result and
         * never reaches the caller.
         */
        void runOnCaller() {
            if (CLAIMED.compareAndSet(this, 0, 1)) {
                execute(this);
            }
        }

        /** @return whether a thread has taken (or cancelled) this execution */
        boolean claimed() {
            return claimed == 1;
        }

        /** @return the lane this execution belongs on */
        Executor lane() {
            return lane;
        }

        @Override
        public void run() {
            if (CLAIMED.compareAndSet(this, 0, 1)) {
                execute(this);
            }
        }

        /** Records that no thread could be found to run it: DOWN for its waiters, nothing counted. */
        void rejected() {
            if (!CLAIMED.compareAndSet(this, 0, 1)) {
                return;
            }
            rejections.increment();
            synchronized (lock) {
                slot.releaseUnstarted();
                if (current == this) {
                    current = null;
                }
            }
            Snapshot s = snapshot;
            CheckEntry last = s == null ? neverRun : s.fresh;
            complete(remembering(base(Status.DOWN, Cause.REJECTED, "no engine thread available to run the check",
                    Map.of(), Duration.ZERO, false, null, last.breaker(), null), last));
        }

        /** Records a timeout unless the execution finished; for waiters whose deadline passed. */
        void expire() {
            timedOut(this);
        }
    }

    /**
     * What a caller gets from {@link #begin}: a future, and the execution behind it (absent for answers given
     * without one: open breaker, stuck check, closed). A new execution ({@code isNew}) must be handed to a thread
     * by the caller.
     */
    record Start(CompletableFuture<CheckEntry> future, Execution execution, boolean isNew) {
    }

    /**
     * Starts an evaluation, or joins the one in flight.
     *
     * @param now ticker nanos
     * @return the future and, for a new execution, the execution to run
     */
    Start begin(long now, boolean mayInline) {
        CheckEntry answer;
        synchronized (lock) {
            if (current != null) {
                return new Start(current, current, false);
            }
            Snapshot s = snapshot;
            if (s != null && ttlNanos > 0 && now - s.at < ttlNanos) {
                // finished while this caller waited for the lock: that result is fresh, do not start another
                return done(s.cached());
            }
            if (closed) {
                return done(latest());
            }
            long wait = breaker.waitNanos(now);
            if (wait > 0) {
                return done(openView(wait));
            }
            if (!slot.tryTake(policy.timeout().toNanos())) {
                // an earlier execution is still running past its timeout: that is this evaluation's failure
                if (slot.heldByCaller()) {
                    demote("is still running on a caller's thread past its timeout");
                }
                answer = finishLocked(CheckResult.down("still running after "
                        + TimeUnit.NANOSECONDS.toMillis(slot.busyNanos()) + " ms"), Cause.TIMEOUT, policy.timeout(),
                        now);
            } else {
                publish(breaker.beginCall());
                Execution e = new Execution(System.nanoTime() + policy.timeout().toNanos(), mayInline && inline());
                current = e;
                return new Start(e, e, true);
            }
        }
        return done(answer);
    }

    private static Start done(CheckEntry s) {
        return new Start(CompletableFuture.completedFuture(s), null, false);
    }

    /** Background refresh tick: starts an execution on the lane, with the timer enforcing its timeout. */
    void refresh(java.util.concurrent.ScheduledExecutorService timer) {
        try {
            Start s = begin(ticker.read(), false); // the timer's thread never runs a check itself
            if (!s.isNew()) {
                return;
            }
            Execution e = s.execution();
            try {
                lane.execute(e);
            } catch (RejectedExecutionException ex) {
                e.rejected();
                return;
            }
            long left = e.deadlineNanos - System.nanoTime();
            if (!e.isDone()) {
                timer.schedule(e::expire, Math.max(0, left), TimeUnit.NANOSECONDS);
            }
        } catch (Throwable t) { // NOPMD: the periodic task must survive anything, or refresh stops for good
            LOG.atWarn().addKeyValue("check", name).addKeyValue("error", t.getClass().getName())
                    .log("background refresh of a health check failed");
        }
    }

    private void execute(Execution e) {
        synchronized (lock) {
            if (current != e) {
                slot.releaseUnstarted(); // expired before it began: nothing runs
                return;
            }
        }
        if (async != null) {
            startAsync(e);
            return;
        }
        slot.enter(e.onCaller);
        long began = System.nanoTime();
        CheckResult r;
        Cause cause = Cause.REPORTED;
        VirtualMachineError fatal = null;
        try {
            long left = e.deadlineNanos - System.nanoTime();
            r = check.check(CheckContext.within(Duration.ofNanos(Math.max(1, left))));
            if (r == null) {
                r = CheckResult.down("check returned no result");
                cause = Cause.EXCEPTION;
            }
        } catch (Throwable t) { // NOPMD: a check must never take the engine down with it
            LOG.atDebug().addKeyValue("check", name).setCause(Secrets.redacted(t)).log("health check threw");
            r = CheckResult.down(Secrets.describe(t));
            cause = Cause.EXCEPTION;
            if (t instanceof VirtualMachineError vme) {
                fatal = vme;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        if (e.onCaller && took.compareTo(policy.timeout()) > 0) {
            // a caller's thread ran it past its timeout: the declaration was wrong, the result comes too late
            r = CheckResult.down("took " + took.toMillis() + " ms on the caller's thread, over its timeout of "
                    + policy.timeout().toMillis() + " ms");
            cause = Cause.TIMEOUT;
            demote("overran its timeout on a caller's thread");
        }
        if (!finish(e, r, cause, took)) {
            LOG.atDebug().addKeyValue("check", name).addKeyValue("durationMs", took.toMillis())
                    .log("late result of a timed-out health check ignored");
        }
        if (fatal != null && !e.onCaller) {
            throw fatal; // after cleanup: the runner is clean, the JVM's own handling still sees the error
        }
    }

    /**
     * Starts an asynchronous check's stage; whoever completes the stage records the result. The slot stays taken
     * until the stage itself completes, so a stage that ignores cancellation is "still running" without a thread.
     */
    private void startAsync(Execution e) {
        long began = System.nanoTime();
        CompletionStage<CheckResult> stage;
        try {
            long left = e.deadlineNanos - began;
            stage = async.checkAsync(CheckContext.within(Duration.ofNanos(Math.max(1, left))));
        } catch (Throwable t) { // NOPMD: a check must never take the engine (or the caller) down with it
            finishAsync(e, null, t, began);
            return;
        }
        long startNanos = System.nanoTime() - began;
        if (e.onCaller && startNanos > policy.timeout().toNanos()) {
            demote("took " + TimeUnit.NANOSECONDS.toMillis(startNanos) + " ms to start its asynchronous call");
        }
        if (stage == null) {
            finishAsync(e, null, null, began);
            return;
        }
        try {
            e.stage = stage.toCompletableFuture();
        } catch (UnsupportedOperationException ex) {
            // a stage that cannot be cancelled: the deadline still frees its waiters
        }
        stage.whenComplete((r, t) -> finishAsync(e, r, t, began));
        if (e.isDone()) {
            cancel(e); // timed out while starting
        }
    }

    private void finishAsync(Execution e, CheckResult result, Throwable failure, long began) {
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        CheckResult r = result;
        Cause cause = Cause.REPORTED;
        if (failure != null) {
            Throwable t = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            LOG.atDebug().addKeyValue("check", name).setCause(Secrets.redacted(t)).log("health check failed");
            r = CheckResult.down(t instanceof CancellationException ? "cancelled" : Secrets.describe(t));
            cause = Cause.EXCEPTION;
        } else if (r == null) {
            r = CheckResult.down("check returned no result");
            cause = Cause.EXCEPTION;
        }
        finish(e, r, cause, took);
    }

    /**
     * Frees the slot and, unless the execution timed out meanwhile, records its result and answers its waiters.
     *
     * @return whether the result was recorded
     */
    private boolean finish(Execution e, CheckResult r, Cause cause, Duration took) {
        CheckEntry status = null;
        synchronized (lock) {
            slot.release();
            if (current == e) {
                status = finishLocked(r, cause, took, ticker.read());
            }
        }
        if (status == null) {
            return false;
        }
        e.complete(status);
        return true;
    }

    private static void cancel(Execution e) {
        CompletableFuture<?> st = e.stage;
        if (st != null) {
            st.cancel(true);
        }
    }

    private void timedOut(Execution e) {
        CheckEntry status;
        synchronized (lock) {
            if (current != e) {
                return;
            }
            if (Execution.CLAIMED.compareAndSet(e, 0, 1)) {
                slot.releaseUnstarted(); // no thread ever took it: nothing is stuck
            } else if (policy.interruptOnTimeout()) {
                slot.interruptWorker(); // helps checks blocked in interruptible calls
            }
            status = finishLocked(CheckResult.down("timed out after " + policy.timeout().toMillis() + " ms"),
                    Cause.TIMEOUT, policy.timeout(), ticker.read());
        }
        e.complete(status);
        cancel(e); // outside the lock: the stage's own completion runs here and only frees the slot
    }

    /**
     * Applies damping and the breaker, stores and publishes the result; the caller holds the lock. Never throws:
     * whatever happens, the evaluation in flight is finished, so no probe waits on it forever.
     */
    private CheckEntry finishLocked(CheckResult r, Cause cause, Duration took, long now) {
        current = null;
        try {
            return record(r, cause, took, now);
        } catch (RuntimeException e) {
            LOG.atWarn().addKeyValue("check", name).setCause(Secrets.redacted(e))
                    .log("recording a health check result failed");
            return entry(Status.DOWN, Cause.EXCEPTION, "recording the result failed", Map.of(), took, false, null,
                    breaker.state(), null);
        }
    }

    private CheckEntry record(CheckResult r, Cause cause, Duration took, long now) {
        Status before = damper.reported();
        Damper.Verdict v = damper.record(r.status(), Secrets.redact(r.message()));
        publish(r.status() == Status.DOWN ? breaker.onFailure(now, damper.consecutiveFailures())
                : breaker.onSuccess());
        java.time.Instant at = clock.instant();
        if (history.record(v.status(), r.status(), cause, at) && before != null) {
            onTransition.run();
        }
        CheckEntry status = base(v.status(), cause, v.message(), r.data(), took, false, at, breaker.state(),
                breaker.retryAfter()).since(history.since()).lastSuccess(history.lastSuccess())
                .consecutiveFailures(damper.consecutiveFailures()).build();
        snapshot = new Snapshot(status, now);
        if (events.wants(EventBus.Kind.CHECK_EVALUATED)) {
            events.publish(EventBus.Kind.CHECK_EVALUATED, l -> l.onCheckEvaluated(status));
        }
        if (before != v.status()) {
            events.publish(EventBus.Kind.CHECK_TRANSITION, l -> l.onCheckTransition(before, status));
        }
        return status;
    }

    private void publish(Breaker.Transition t) {
        if (t != null) {
            events.publish(EventBus.Kind.BREAKER_TRANSITION, l -> l.onBreakerTransition(name, t.from(), t.to()));
        }
    }

    private CheckEntry entry(Status status, Cause cause, String message, Map<String, Object> data,
                              Duration took, boolean cached, java.time.Instant at, BreakerState state,
                              Duration retryAfter) {
        return base(status, cause, message, data, took, cached, at, state, retryAfter).build();
    }

    private CheckEntry.Builder base(Status status, Cause cause, String message, Map<String, Object> data,
                                    Duration took, boolean cached, java.time.Instant at, BreakerState state,
                                    Duration retryAfter) {
        return CheckEntry.builder(name).status(status).criticality(policy.criticality()).kind(check.kind())
                .cause(cause).message(message).data(data).duration(took).cached(cached).checkedAt(at).breaker(state)
                .retryAfter(retryAfter);
    }

    /**
     * A view that is not a recorded result (open circuit, stale, rejected, interrupted) carries the history of the
     * last recorded one and changes none. Every view is DOWN: its {@code since} is the recorded one when that was
     * DOWN too, else unknown ({@code null}).
     */
    private static CheckEntry remembering(CheckEntry.Builder view, CheckEntry last) {
        return view.since(last.status() == Status.DOWN ? last.since() : null).lastSuccess(last.lastSuccess())
                .consecutiveFailures(last.consecutiveFailures()).build();
    }

    /** @return the check's history (for the engine's merged transitions and for tests) */
    CheckHistory history() {
        return history;
    }

    private CheckEntry openView(long waitNanos) {
        Snapshot s = snapshot;
        CheckEntry last = s == null ? neverRun : s.fresh;
        return remembering(base(Status.DOWN, Cause.CIRCUIT_OPEN, "circuit open after repeated failures; last: "
                + last.message(), last.data(), last.duration(), true, last.checkedAt(), BreakerState.OPEN,
                Duration.ofNanos(waitNanos)), last);
    }

    private CheckEntry stale(Snapshot s) {
        CheckEntry last = s.fresh;
        long ago = TimeUnit.NANOSECONDS.toMillis(ticker.read() - s.at);
        return remembering(base(Status.DOWN, Cause.STALE, "no background refresh has completed for " + ago
                + " ms; last: " + last.message(), last.data(), last.duration(), true, last.checkedAt(),
                last.breaker(), null), last);
    }

    /**
     * @return this caller's own answer when it was interrupted while waiting: not recorded, not published
     */
    CheckEntry interrupted() {
        Snapshot s = snapshot;
        CheckEntry last = s == null ? neverRun : s.fresh;
        return remembering(base(Status.DOWN, Cause.INTERRUPTED, "probe interrupted before the check finished",
                Map.of(), Duration.ZERO, false, null, last.breaker(), null), last);
    }

    /** No execution starts from now on; the latest results are served as they are. */
    void close() {
        closed = true;
    }
}
