package io.vigil.health.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The one execution a check may have at a time. It outlives its runner while an execution is still running, so
 * that re-registering a hung check under the same name starts no second thread; a new registration that finds it
 * held by an earlier one still within its timeout starts beside it instead of failing. Thread-safe.
 */
final class Slot {
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile long since; // System.nanoTime() when taken: real elapsed time, for "still running after"
    private volatile long timeoutNanos;
    private volatile @Nullable Thread worker;
    private volatile boolean interruptedByUs;
    private volatile boolean byCaller;
    private volatile @Nullable Object owner; // the runner whose execution holds the slot

    /**
     * @param timeoutNanos the execution's timeout, for {@link #stuck(long)}
     * @param owner        the runner taking it
     * @return whether the slot was free and is now taken
     */
    boolean tryTake(long timeoutNanos, Object owner) {
        if (!busy.compareAndSet(false, true)) {
            return false;
        }
        this.owner = owner;
        this.timeoutNanos = timeoutNanos;
        since = System.nanoTime();
        return true;
    }

    /**
     * Marks the current thread as the one running the execution.
     *
     * @param caller whether it is a probing caller's thread (the inline lane) rather than an engine thread
     */
    void enter(boolean caller) {
        byCaller = caller;
        worker = Thread.currentThread();
    }

    /**
     * @param runner a runner
     * @return whether an execution of that runner holds the slot
     */
    boolean heldBy(Object runner) {
        return busy.get() && owner == runner;
    }

    /** @return whether the engine interrupted the worker at a deadline (rather than anyone else) */
    boolean interruptedByEngine() {
        return interruptedByUs;
    }

    /** @return whether the execution holding the slot runs on a probing caller's thread */
    boolean heldByCaller() {
        return busy.get() && byCaller;
    }

    /** Frees the slot; clears an interrupt the engine sent to the worker, which is the calling thread. */
    void release() {
        if (worker == Thread.currentThread()) {
            worker = null;
            if (interruptedByUs) {
                interruptedByUs = false;
                Thread.interrupted();
            }
        }
        busy.set(false);
    }

    /** Frees a slot whose execution no thread ever took. */
    void releaseUnstarted() {
        busy.set(false);
    }

    /** Interrupts the worker, if one is running the execution. */
    void interruptWorker() {
        Thread w = worker;
        if (w != null) {
            interruptedByUs = true;
            w.interrupt();
        }
    }

    boolean busy() {
        return busy.get();
    }

    /** @return nanoseconds since the execution took the slot */
    long busyNanos() {
        return System.nanoTime() - since;
    }

    /**
     * @param nowNanos {@link System#nanoTime()}
     * @return whether an execution holds the slot past its timeout
     */
    boolean stuck(long nowNanos) {
        return busy.get() && nowNanos - since > timeoutNanos;
    }
}
