package io.vigil.health.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs one task on many threads released at once by a barrier; every wait is bounded (30 s). */
public final class Concurrently {
    private Concurrently() {}

    /**
     * @param n    number of callers, each on its own thread
     * @param task what each caller does once all are ready
     * @param <T>  the task's result
     * @return the results, in caller order
     * @throws Exception the first failure of a caller, or a timeout
     */
    public static <T> List<T> call(int n, Callable<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService callers = Executors.newFixedThreadPool(n);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(callers.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            callers.shutdownNow();
        }
    }
}
