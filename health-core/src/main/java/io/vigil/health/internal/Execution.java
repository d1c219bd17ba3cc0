package io.vigil.health.internal;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * One execution of a check and the future its waiters wait on (one object per execution). Its state machine:
 *
 * <pre>
 * QUEUED ──start──▶ RUNNING ──finish──▶ COMPLETED
 *   │                  ├────expire────▶ TIMED_OUT   (running past its deadline: a counted failure)
 *   └──────abandon─────┴──────────────▶ ABANDONED   (never started in time, or its caller was interrupted: nothing
 *                                                     recorded, nothing counted towards thresholds or the breaker)
 * </pre>
 *
 * {@link #start()} is a lock-free claim (whoever wins runs the check); the terminal moves happen under the runner's
 * lock together with completing the future, so once {@link CheckRunner#expire(Execution)} returns the future is done:
 * no waiter ever needs a grace period for a finisher that won the race.
 */
final class Execution extends CompletableFuture<CheckEntry> implements Runnable {
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int COMPLETED = 2;
    static final int TIMED_OUT = 3;
    static final int ABANDONED = 4;

    private static final AtomicIntegerFieldUpdater<Execution> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Execution.class, "state");

    final CheckRunner runner;
    final Deadline deadline;
    /** Whether a probing caller is to run it itself (declared non-blocking) rather than hand it to a lane. */
    final boolean onCaller;
    /** Whether it holds its check's {@link Slot} (an execution started beside another registration's does not). */
    final boolean ownsSlot;

    private volatile int state;
    /** The thread inside {@code lane.execute(this)}: if the lane runs the task right there, it is not started. */
    private volatile @Nullable Thread handingOff;

    private volatile boolean ranByHandingOff; // run() was called on the handing-off thread: refused, still queued
    /** The context its call received, once started: the check's {@code describeTimeout} is asked with it. */
    volatile @Nullable CheckContext context;
    /** The stage of an asynchronous check once started, cancelled at the deadline only if the check owns it. */
    volatile @Nullable CompletableFuture<?> stage;

    Execution(CheckRunner runner, Deadline deadline, boolean onCaller, boolean ownsSlot) {
        this.runner = runner;
        this.deadline = deadline;
        this.onCaller = onCaller;
        this.ownsSlot = ownsSlot;
    }

    /** @return the state: one of the constants above */
    int state() {
        return state;
    }

    /** @return whether no thread has started it and it is not over */
    boolean queued() {
        return state == QUEUED;
    }

    /** QUEUED → RUNNING: @return whether this thread claimed it */
    boolean start() {
        return STATE.compareAndSet(this, QUEUED, RUNNING);
    }

    /** RUNNING → COMPLETED, under the runner's lock: @return whether the result is to be recorded */
    boolean finishLocked() {
        return STATE.compareAndSet(this, RUNNING, COMPLETED);
    }

    /** RUNNING → TIMED_OUT, under the runner's lock: @return whether the timeout is to be recorded */
    boolean timeOutLocked() {
        return STATE.compareAndSet(this, RUNNING, TIMED_OUT);
    }

    /** QUEUED → ABANDONED, under the runner's lock: @return whether it was still queued */
    boolean abandonQueuedLocked() {
        return STATE.compareAndSet(this, QUEUED, ABANDONED);
    }

    /** RUNNING → ABANDONED, under the runner's lock (its caller was interrupted): @return whether it was running */
    boolean abandonRunningLocked() {
        return STATE.compareAndSet(this, RUNNING, ABANDONED);
    }

    /**
     * Offers it to a lane from this thread. A lane that runs the task on this very thread (a caller-running
     * executor) does not start it: running it without its deadline is exactly what must not happen.
     *
     * @param lane where to
     * @return whether a lane thread took it (or will); {@code false} when the lane rejected it or ran it here
     */
    boolean handOff(java.util.concurrent.Executor lane) {
        ranByHandingOff = false;
        handingOff = Thread.currentThread();
        try {
            lane.execute(this);
        } catch (java.util.concurrent.RejectedExecutionException ex) {
            return false;
        } finally {
            handingOff = null;
        }
        return !ranByHandingOff;
    }

    /** Pooled entry point: runs the check on this (lane) thread, unless it is the thread handing it off. */
    @Override
    public void run() {
        if (handingOff == Thread.currentThread()) {
            ranByHandingOff = true;
            return;
        }
        runner.run(this, false);
    }

    /** Runs it on a probing caller's thread (a non-blocking check), if still queued and within its deadline. */
    void runOnCaller() {
        runner.run(this, true);
    }

    /**
     * Hands it to its lane, or where the lane cannot take it to the overflow lane; where neither can, it is
     * abandoned at once ({@code REJECTED}, nothing counted).
     */
    void dispatch() {
        if (!handOff(runner.lane()) && !handOff(runner.overflow())) {
            runner.expireNow(this);
        }
    }
}
