package io.vigil.health.grpc;

import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Scope;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-flight evaluation per target on an executor: concurrent Check calls and watch rounds for one target share
 * one evaluation (the engine's cache and its own single-flight then decide how many checks run). Every finished
 * evaluation is handed to a sink, so watchers learn from Check traffic too.
 */
final class Evaluations {
    private static final Logger LOG = LoggerFactory.getLogger(Evaluations.class);

    private final HealthRegistry registry;
    private final Executor executor;
    private final BiConsumer<Scope, Answer> sink;
    private final Object lock = new Object();
    private final Map<Scope, Flight> flights = new HashMap<>(); // guarded by lock

    /** One evaluation in progress; {@code again} asks for one more once it is done. */
    private static final class Flight {
        final CompletableFuture<HealthReport> future = new CompletableFuture<>();
        boolean again; // guarded by Evaluations.lock
    }

    Evaluations(HealthRegistry registry, Executor executor, BiConsumer<Scope, Answer> sink) {
        this.registry = registry;
        this.executor = executor;
        this.sink = sink;
    }

    /**
     * Joins the evaluation of the target in progress, or starts one.
     *
     * @param target what to evaluate
     * @param fresh  whether the caller needs a result that started after this call (something changed): then an
     *               evaluation in progress is followed by one more
     * @return the report of the evaluation joined or started; fails when the engine or the executor failed
     */
    CompletableFuture<HealthReport> evaluate(Scope target, boolean fresh) {
        Flight f;
        boolean start = false;
        synchronized (lock) {
            f = flights.get(target);
            if (f == null) {
                f = new Flight();
                flights.put(target, f);
                start = true;
            } else if (fresh) {
                f.again = true;
            }
        }
        if (start) {
            launch(target, f);
        }
        return f.future;
    }

    private void launch(Scope target, Flight f) {
        try {
            executor.execute(() -> run(target, f));
        } catch (RejectedExecutionException e) {
            finish(target, f, null, e);
        }
    }

    private void run(Scope target, Flight f) {
        HealthReport report = null;
        Throwable failure = null;
        try {
            report = registry.evaluate(target, Set.of()); // blocks at most the longest check timeout of the scope
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            finish(target, f, report, failure);
        }
    }

    private void finish(Scope target, Flight f, @Nullable HealthReport report, @Nullable Throwable failure) {
        if (report == null) {
            LOG.atDebug().addKeyValue("target", target).setCause(failure).log("gRPC health evaluation failed");
        }
        boolean again;
        try {
            // while the flight is still registered, so no later evaluation of the target can be handed over first
            sink.accept(target, report == null ? Answer.failed() : Answer.of(report));
        } finally {
            synchronized (lock) {
                flights.remove(target, f);
                again = f.again;
            }
            if (report != null) {
                f.future.complete(report);
            } else {
                f.future.completeExceptionally(failure);
            }
        }
        if (again && !(failure instanceof RejectedExecutionException)) {
            var unused = evaluate(target, false); // its end offers the answer to everyone waiting for the target
        }
    }
}
