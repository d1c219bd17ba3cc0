package io.vigil.health;

/**
 * A held lock: readiness answers 423 Locked until every lock is closed. Use with try-with-resources.
 * {@link #close()} is idempotent and may be called from any thread.
 */
public interface TaskLock extends AutoCloseable {

    /** @return what the lock looks like in reports */
    LockInfo info();

    /** @return {@code true} until closed or expired */
    boolean isHeld();

    /** Releases the lock; does nothing if already released. */
    @Override
    void close();
}
