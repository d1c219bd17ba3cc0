package io.vigil.health.test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a task on a thread of its own, for tests that block in the background (start an application, wait on a
 * stalled server, hold a lock). Never use {@code CompletableFuture.supplyAsync(task)} without an executor for such
 * work: the common pool has {@code cores - 1} workers (one on a 2-core machine), and on JDK 25 two blocking tasks
 * queue behind each other there, so the second never starts while the first waits for it.
 */
public final class Background {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** Starts every task on a new daemon thread named {@code vigil-test-background-N}. */
    public static final Executor THREAD_PER_TASK = task -> {
        Thread t = new Thread(task, "vigil-test-background-" + SEQUENCE.incrementAndGet());
        t.setDaemon(true);
        t.start();
    };

    private Background() {}

    /**
     * @param task what to compute, on its own thread
     * @param <T>  its result
     * @return the result to come
     */
    public static <T> CompletableFuture<T> supply(Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, THREAD_PER_TASK);
    }

    /**
     * @param task what to run, on its own thread
     * @return its completion
     */
    public static CompletableFuture<Void> run(Runnable task) {
        return CompletableFuture.runAsync(task, THREAD_PER_TASK);
    }
}
