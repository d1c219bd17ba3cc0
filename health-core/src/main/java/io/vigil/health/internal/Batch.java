package io.vigil.health.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;

/**
 * The new executions one probe hands to one lane, run in turn by one thread: quick checks then cost one thread
 * hand-off per probe, not one per check. The probe waits for the batch a short grace; executions that no thread has
 * taken by then get threads of their own ({@link #spread()}), so slow checks still run in parallel, and where the
 * lane has no thread to spare they stay with the batch instead of being rejected. Only the probing thread waits.
 */
final class Batch implements Runnable {
    private final CheckRunner.Execution[] executions;
    private final Executor lane;
    private final Thread waiter;
    private int size; // written by the probing thread before the hand-off only
    private volatile boolean done;

    Batch(Executor lane, int capacity) {
        this.lane = lane;
        this.executions = new CheckRunner.Execution[capacity];
        this.waiter = Thread.currentThread();
    }

    Executor lane() {
        return lane;
    }

    void add(CheckRunner.Execution e) {
        executions[size++] = e;
    }

    /** Hands the batch to its lane; a lane with no thread at all rejects each execution on its own. */
    void start() {
        try {
            lane.execute(this);
        } catch (RejectedExecutionException ex) {
            done = true;
            for (int i = 0; i < size; i++) {
                submit(executions[i]);
            }
        }
    }

    @Override
    public void run() {
        VirtualMachineError fatal = null;
        try {
            for (int i = 0; i < size; i++) {
                try {
                    executions[i].run();
                } catch (VirtualMachineError vme) {
                    fatal = fatal == null ? vme : fatal; // recorded by its runner; the rest of the batch goes on
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
     * Waits until the batch is done; only the probing thread calls it. It parks at once: spinning 20 or 100 µs
     * first did not measurably help on two loaded cores, where the spinner competes with the thread it waits for.
     *
     * @param deadlineNanos {@link System#nanoTime()} to give up at
     * @return whether the batch is done; {@code false} also when the caller is interrupted (its flag stays set)
     */
    boolean await(long deadlineNanos) {
        while (!done) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || Thread.currentThread().isInterrupted()) {
                return done;
            }
            LockSupport.parkNanos(this, left);
        }
        return true;
    }

    /** Gives every execution no thread has taken yet a thread of its own, where the lane has one to spare. */
    void spread() {
        for (int i = 0; i < size; i++) {
            CheckRunner.Execution e = executions[i];
            if (!e.claimed()) {
                try {
                    lane.execute(e);
                } catch (RejectedExecutionException ex) {
                    // no thread to spare: it stays with the batch, whose thread runs it in turn
                }
            }
        }
    }

    /** Hands one execution to its lane; a full lane makes it DOWN ({@code REJECTED}) for this evaluation. */
    static void submit(CheckRunner.Execution e) {
        try {
            e.lane().execute(e);
        } catch (RejectedExecutionException ex) {
            e.rejected();
        }
    }
}
