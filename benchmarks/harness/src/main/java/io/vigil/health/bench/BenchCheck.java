package io.vigil.health.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The body of a check, shared by every library under test: returning normally means UP, throwing means DOWN.
 * Each library's adapter wraps it in that library's own check type, so all libraries run identical work.
 */
@FunctionalInterface
public interface BenchCheck {

    /**
     * Looks once.
     *
     * @throws Exception when the thing looked at is not healthy
     */
    void run() throws Exception;

    /**
     * The same look for a library's asynchronous check type: starts it and returns its completion. By default it runs
     * {@link #run()} at once and returns a completed (or failed) stage; a fixture that waits overrides it to wait
     * without a thread.
     *
     * @return completes normally for UP, exceptionally for DOWN
     */
    default CompletionStage<Void> start() {
        try {
            run();
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
