package io.vigil.health.example;

import io.vigil.health.HealthRegistry;
import io.vigil.health.TaskLock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulated "reindex" admin task on its own daemon thread while holding the health lock {@code reindex}, so
 * readiness answers 423 for as long as it runs. At most one runs at a time. Thread-safe.
 */
final class Reindexer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reindexer.class);
    static final String LOCK = "reindex";
    /** Slack added to the task's length for the lock's maximum duration, after which it is released anyway. */
    static final Duration LOCK_SLACK = Duration.ofSeconds(10);

    private final HealthRegistry health;
    private final Hooks.Pause pause;
    private Running current; // guarded by this

    /** A running task. */
    record Running(Thread thread, TaskLock lock, Duration length, Instant startedAt) {}

    Reindexer(HealthRegistry health, Hooks.Pause pause) {
        this.health = health;
        this.pause = pause;
    }

    /**
     * Takes the lock (readiness is 423 when this returns) and starts the task.
     *
     * @param length how long the task runs
     * @return the task, or empty when one is running already
     */
    synchronized Optional<Running> start(Duration length) {
        if (current != null) {
            return Optional.empty();
        }
        TaskLock lock = health.lock(
                LOCK, "Rebuilding the search index (" + length.toSeconds() + " s)", length.plus(LOCK_SLACK));
        Running r =
                new Running(newThread(lock, length), lock, length, lock.info().since());
        current = r;
        LOG.atInfo()
                .addKeyValue("seconds", length.toSeconds())
                .log("reindex started; readiness answers 423 until it ends");
        r.thread().start();
        return Optional.of(r);
    }

    private Thread newThread(TaskLock lock, Duration length) {
        Thread t = new Thread(
                () -> {
                    try {
                        pause.pause(length);
                        LOG.atInfo().log("reindex finished");
                    } catch (InterruptedException e) {
                        LOG.atInfo().log("reindex cancelled");
                    } finally {
                        lock.close();
                        synchronized (this) {
                            if (current != null && current.lock() == lock) {
                                current = null;
                            }
                        }
                    }
                },
                "example-reindex");
        t.setDaemon(true);
        return t;
    }

    /** @return the running task, if any */
    synchronized Optional<Running> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Cancels the running task and waits (at most 5 s) until its lock is released.
     *
     * @return whether a task was running
     */
    boolean cancel() {
        Running r;
        synchronized (this) {
            r = current;
        }
        if (r == null) {
            return false;
        }
        r.thread().interrupt();
        try {
            r.thread().join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        r.lock().close();
        return true;
    }

    @Override
    public void close() {
        cancel();
    }
}
