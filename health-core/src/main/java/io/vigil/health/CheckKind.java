package io.vigil.health;

/**
 * What a check looks at. It decides the FHIR issue code of a failure and whether the check may sit on
 * the liveness probe without an explicit opt-in.
 */
public enum CheckKind {
    /** The process itself (threads, memory, disk): fit for liveness. */
    PROCESS,
    /** Another service reached over the network (HTTP upstream, TCP endpoint). */
    DEPENDENCY,
    /** A datastore (database, cache); its failures use the FHIR code {@code no-store}. */
    DATASTORE;

    /** @return {@code true} when the check depends on something outside the process */
    public boolean isDependency() {
        return this != PROCESS;
    }
}
