package io.vigil.health.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The new executions one probe hands to one lane. Each thread the lane gives the batch (a "drainer") runs every
 * execution of it that no thread has started yet, in turn: quick checks then cost one thread hand-off per probe, not
 * one per check, and a thread that finishes a slow check goes on with the next queued one. The probe waits for the
 * first drainer a short grace; if it is not done by then, it offers one more drainer per execution still queued
 * ({@link #spread()}), so slow checks still run in parallel.
 *
 * <p>Where the lane could not take a drainer (full, or an executor that ran the task on the probing thread itself,
 * which would run blocking checks without their deadline), drainers go to the engine's overflow lane instead
 * ({@link #overflow()}). An execution that no thread started by its deadline is abandoned ({@code REJECTED}), never a
 * failure. Only the probing thread calls the methods other than {@link #run()}.
 */
final class Batch implements Runnable {
    private final Execution[] executions;
    private final Executor lane;
    private final Executor overflowLane;
    private final Thread waiter;
    private int size; // written by the probing thread before the hand-off only
    private int accepted; // drainers the lane took; probing thread only
    private boolean refused; // the lane rejected a drainer or ran it on the probing thread; probing thread only
    private volatile boolean handingOff; // the probing thread is inside lane.execute(this)
    private volatile boolean ranByWaiter; // run() was called on the probing thread during a hand-off
    private volatile boolean done;

    Batch(Executor lane, Executor overflowLane, int capacity) {
        this.lane = lane;
        this.overflowLane = overflowLane;
        this.executions = new Execution[capacity];
        this.waiter = Thread.currentThread();
    }

    Executor lane() {
        return lane;
    }

    void add(Execution e) {
        executions[size++] = e;
    }

    /** Offers the first drainer to the lane. */
    void start() {
        if (!offer(lane)) {
            refused = true;
        }
    }

    /**
     * Offers one drainer; a lane that runs it on this thread is treated as one that refused it.
     *
     * @return whether a lane thread took it
     */
    private boolean offer(Executor to) {
        handingOff = true;
        ranByWaiter = false;
        try {
            to.execute(this);
        } catch (RejectedExecutionException ex) {
            return false;
        } finally {
            handingOff = false;
        }
        if (ranByWaiter) {
            return false;
        }
        accepted++;
        return true;
    }

    @Override
    public void run() {
        if (handingOff && Thread.currentThread() == waiter) {
            ranByWaiter = true; // a caller-running executor: the probe runs them itself, under their deadlines
            return;
        }
        VirtualMachineError fatal = null;
        try {
            for (int i = 0; i < size; i++) {
                Execution e = executions[i];
                if (e.queued()) {
                    try {
                        e.run();
                    } catch (VirtualMachineError vme) {
                        fatal = fatal == null ? vme : fatal; // recorded by its runner; the rest goes on
                    }
                }
            }
        } finally {
            done = true;
            LockSupport.unpark(waiter);
        }
        if (fatal != null) {
            throw fatal;
        }
    }

    /**
     * Waits until a drainer went through the whole batch. It parks at once: spinning 20 or 100 µs first did not
     * measurably help on two loaded cores, where the spinner competes with the thread it waits for.
     *
     * @param deadlineNanos {@link System#nanoTime()} to give up at
     * @return whether the batch is done; {@code false} also when the caller is interrupted (its flag stays set)
     */
    boolean await(long deadlineNanos) {
        if (accepted == 0) {
            return done;
        }
        while (!done) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return done;
            }
            LockSupport.parkNanos(this, left);
        }
        return true;
    }

    /** Offers one more drainer per execution still queued, until the lane refuses one. */
    void spread() {
        int queued = queued();
        for (int i = 0; i < queued && !refused; i++) {
            if (!offer(lane)) {
                refused = true;
            }
        }
    }

    private int queued() {
        int queued = 0;
        for (int i = 0; i < size; i++) {
            queued += executions[i].queued() ? 1 : 0;
        }
        return queued;
    }

    /**
     * Where the lane refused a drainer, offers one drainer per execution still queued to the overflow lane. Where
     * no thread at all took the batch, the executions still queued are abandoned at once ({@code REJECTED}).
     */
    void overflow() {
        if (!refused) {
            return;
        }
        int queued = queued();
        for (int i = 0; i < queued; i++) {
            if (!offer(overflowLane)) {
                break;
            }
        }
        if (accepted == 0) {
            for (int i = 0; i < size; i++) {
                executions[i].runner.expireNow(executions[i]);
            }
        }
    }
}
