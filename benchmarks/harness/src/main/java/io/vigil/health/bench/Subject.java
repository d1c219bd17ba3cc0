package io.vigil.health.bench;

/**
 * One library set up with a list of checks, answering readiness probes the way its HTTP endpoint would, minus
 * the transport: evaluate every check and serialise the result to JSON bytes. Thread-safe as far as the library is.
 */
public interface Subject extends AutoCloseable {

    /**
     * Evaluates the checks once and serialises the answer.
     *
     * @return the JSON body the endpoint would send
     * @throws Exception whatever the library throws
     */
    byte[] probe() throws Exception;

    /** Stops the library's threads, if it has any. */
    @Override
    void close();
}
