package io.vigil.health.internal;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One registered check: single flight and the result cache. It composes parts with one job each: the {@link Slot}
 * (at most one execution at a time, even across re-registration), the {@link Invocation} (runs the call), the
 * {@link Recorder} (damping, breaker, history, events) and the {@link Views} (entries that are not recorded results).
 * Decisions use the monotonic ticker; waits use real time ({@link Deadline}).
 *
 * <p>{@link #begin} starts an {@link Execution} or joins the one in flight. Whoever waits for it enforces its deadline
 * ({@link #expire}): an execution <em>running</em> past its deadline is a counted TIMEOUT; one that no thread started
 * by then is abandoned ({@code REJECTED}, never counted). An execution still running past its timeout holds the slot,
 * and every evaluation that would have started a new one records a failure instead ("still running after N ms"), so
 * thresholds, the breaker and alerts see a hung dependency while it costs one thread, never more.
 */
public final class CheckRunner {
    private final String name;
    private final CheckPolicy policy;
    private final Executor lane;
    private final Executor overflow;
    private final Slot slot;
    private final Ticker ticker;
    private final LongAdder rejections;
    private final ResultCache cache;
    private final Views views;
    private final Recorder recorder;
    private final Invocation invocation;
    private final CheckHistory history;
    private volatile boolean closed;

    private final Object lock = new Object();
    private @Nullable Execution current; // guarded by lock: the execution in flight, joined by concurrent callers

    /**
     * What a caller gets from {@link #begin}: a future, and the execution behind it (absent for answers given
     * without one: cached, open breaker, stuck check, closed). A new execution ({@code isNew}) must be handed to a
     * thread by the caller.
     */
    record Start(
            CompletableFuture<CheckEntry> future, @Nullable Execution execution, boolean isNew) {}

    CheckRunner(
            String name,
            HealthCheck check,
            CheckPolicy policy,
            Executor lane,
            Executor overflow,
            Slot slot,
            EventBus events,
            Clock clock,
            Ticker ticker,
            LongAdder rejections,
            int historySize,
            LongSupplier transitionSequence,
            AtomicLong recorded) {
        this.name = name;
        this.policy = policy;
        this.lane = lane;
        this.overflow = overflow;
        this.slot = slot;
        this.ticker = ticker;
        this.rejections = rejections;
        this.views = new Views(name, policy, check.kind());
        this.history = new CheckHistory(name, historySize);
        this.recorder = new Recorder(name, policy, history, events, clock, transitionSequence, views, recorded);
        this.cache = new ResultCache(policy, ticker, recorder, views);
        this.invocation = new Invocation(name, check, policy, slot);
    }

    /** @return the registered name */
    public String name() {
        return name;
    }

    /** @return the registration policy */
    public CheckPolicy policy() {
        return policy;
    }

    Executor lane() {
        return lane;
    }

    /** @return where executions go that the lane could not take */
    Executor overflow() {
        return overflow;
    }

    /** @return the latest known entry without evaluating: the never-run entry if none */
    public CheckEntry latest() {
        return cache.latest();
    }

    /**
     * The cheap path: a result that may be served without running the check.
     *
     * @param now ticker nanos
     * @return the entry to serve, or {@code null} when the check must run
     */
    @Nullable
    CheckEntry cached(long now) {
        CheckEntry c = cache.served(now);
        if (c == null && closed) {
            return cache.latestRecorded(); // no check starts after close
        }
        return c;
    }

    /**
     * Until when {@link #cached} keeps serving the very entry it serves at {@code now}, as long as no result is
     * recorded meanwhile (the engine's version stamp tells): a fresh cached result until its TTL ends, a refreshed
     * one until it turns stale, the never-run entry of a refreshed check until its first result.
     *
     * @param now ticker nanos
     * @return ticker nanos, exclusive (compare by difference); {@code now} when the entry served now is not to be reused
     */
    long cachedUntil(long now) {
        return cache.servedUntil(now);
    }

    /** @return whether executions for probes run on the caller's thread (declared non-blocking, not demoted) */
    boolean inline() {
        return invocation.inline();
    }

    /**
     * Starts an evaluation, or joins the one in flight.
     *
     * @param now       ticker nanos
     * @param mayInline whether the caller can run a non-blocking check itself
     * @return the future and, for a new execution, the execution to run
     */
    Start begin(long now, boolean mayInline) {
        CheckEntry answer;
        synchronized (lock) {
            if (current != null) {
                return new Start(current, current, false);
            }
            CheckEntry fresh = cache.fresh(now);
            if (fresh != null) {
                // finished while this caller waited for the lock: that result is fresh, do not start another
                return done(fresh);
            }
            if (closed) {
                return done(latest());
            }
            long wait = recorder.breakerWait(now);
            if (wait > 0) {
                return done(views.open(recorder.last(), wait));
            }
            boolean owns = slot.tryTake(policy.timeout().toNanos(), this);
            if (!owns && (slot.heldBy(this) || slot.stuck(System.nanoTime()))) {
                if (mayInline && Thread.currentThread().isInterrupted()) {
                    return done(views.interrupted(recorder.last())); // an interrupted caller records nothing
                }
                // an earlier execution is still running past its timeout: that is this evaluation's failure
                if (slot.heldByCaller()) {
                    invocation.demote("is still running on a caller's thread past its timeout");
                }
                answer = recorder.record(
                        CheckResult.down(
                                "still running after " + TimeUnit.NANOSECONDS.toMillis(slot.busyNanos()) + " ms"),
                        Cause.TIMEOUT,
                        policy.timeout(),
                        now);
            } else {
                // a free slot, or one held by an earlier registration still within its timeout: that is no fault,
                // this registration's execution starts beside it (without the slot)
                recorder.beginCall();
                Execution e = new Execution(this, Deadline.after(policy.timeout()), mayInline && inline(), owns);
                current = e;
                return new Start(e, e, true);
            }
        }
        return done(answer);
    }

    private static Start done(CheckEntry s) {
        return new Start(CompletableFuture.completedFuture(s), null, false);
    }

    /** Runs the execution on this thread (see {@link Invocation#run}). */
    void run(Execution e, boolean callerThread) {
        invocation.run(e, callerThread);
    }

    /**
     * A produced result: frees the slot and, unless the execution timed out or was abandoned meanwhile, records it
     * and completes the execution, under the lock.
     *
     * @param abandon the caller running it was interrupted: nothing is recorded, its waiters get a view
     * @return whether the result was recorded
     */
    boolean finish(Execution e, CheckResult r, Cause cause, Duration took, boolean abandon) {
        synchronized (lock) {
            if (e.ownsSlot) {
                slot.release();
            }
            if (abandon ? !e.abandonRunningLocked() : !e.finishLocked()) {
                return false;
            }
            current = null;
            e.complete(abandon ? views.interrupted(recorder.last()) : recorder.record(r, cause, took, ticker.read()));
        }
        return !abandon;
    }

    /**
     * A waiter's deadline passed: a queued execution is abandoned ({@code REJECTED}, counted in the engine's
     * statistics, never towards thresholds or the breaker); a running one is a counted TIMEOUT. When this returns the
     * execution's future is done.
     */
    void expire(Execution e) {
        // the check's own words, asked outside the lock (its code): only for a running execution
        String words = e.state() == Execution.RUNNING ? invocation.timeoutWords(e) : null;
        boolean timedOut;
        synchronized (lock) {
            if (e.abandonQueuedLocked()) {
                abandonLocked(e, false);
                return;
            }
            timedOut = e.timeOutLocked();
            if (timedOut) {
                if (e.ownsSlot && policy.interruptOnTimeout()) {
                    slot.interruptWorker(); // helps checks blocked in interruptible calls
                }
                current = null;
                e.complete(recorder.record(
                        CheckResult.down(
                                words != null
                                        ? words
                                        : "timed out after " + policy.timeout().toMillis() + " ms"),
                        Cause.TIMEOUT,
                        policy.timeout(),
                        ticker.read()));
            }
        }
        if (timedOut) {
            Invocation.cancel(e); // outside the lock: the stage's own completion runs here and only frees the slot
        }
    }

    /** Abandons a queued execution at once (no thread can take it): {@code REJECTED}, nothing counted. */
    void expireNow(Execution e) {
        synchronized (lock) {
            if (e.abandonQueuedLocked()) {
                abandonLocked(e, true);
            }
        }
    }

    private void abandonLocked(Execution e, boolean noThread) {
        rejections.increment();
        if (e.ownsSlot) {
            slot.releaseUnstarted();
        }
        current = null;
        e.complete(views.rejected(recorder.last(), noThread));
    }

    /** @return the ticker */
    Ticker ticker() {
        return ticker;
    }

    /** @return the check's history (for the engine's merged transitions and for tests) */
    CheckHistory history() {
        return history;
    }

    /** @return this caller's own answer when it was interrupted while waiting: not recorded, not published */
    CheckEntry interrupted() {
        return views.interrupted(recorder.last());
    }

    /** No execution starts from now on; the latest results are served as they are. */
    void close() {
        closed = true;
    }
}
