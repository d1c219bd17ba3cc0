package io.vigil.health.test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds the JDK's one delay-scheduler thread (the thread behind {@code CompletableFuture.orTimeout},
 * {@code completeOnTimeout} and {@code delayedExecutor}) until closed, as a loaded machine delays it: a client's own
 * timer then fires late, after the engine's deadline. The fault that once made a check's own diagnosis lose to the
 * engine's generic timeout, made certain instead of waited for.
 *
 * <pre>{@code
 * try (HeldDelayScheduler held = HeldDelayScheduler.hold()) {
 *     // every orTimeout in this JVM fires only after close()
 * }
 * }</pre>
 */
public final class HeldDelayScheduler implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);

    private HeldDelayScheduler() {}

    /**
     * @return the hold, once the scheduler's thread is busy with it
     * @throws InterruptedException if interrupted while waiting for the thread to take it
     * @throws IllegalStateException if the thread did not take it within 10 s
     */
    public static HeldDelayScheduler hold() throws InterruptedException {
        HeldDelayScheduler h = new HeldDelayScheduler();
        CountDownLatch held = new CountDownLatch(1);
        // a direct executor: the scheduler's own thread runs the task, and is busy until released
        CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS, Runnable::run)
                .execute(() -> {
                    held.countDown();
                    try {
                        h.release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        if (!held.await(10, TimeUnit.SECONDS)) {
            h.close();
            throw new IllegalStateException("the delay scheduler did not take the hold within 10 s");
        }
        return h;
    }

    /** Releases the thread: the delayed actions it owes run now. */
    @Override
    public void close() {
        release.countDown();
    }
}
