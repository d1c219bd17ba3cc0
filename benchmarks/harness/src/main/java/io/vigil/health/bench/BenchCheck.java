package io.vigil.health.bench;

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
}
