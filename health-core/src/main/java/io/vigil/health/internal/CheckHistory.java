package io.vigil.health.internal;

import io.vigil.health.Cause;
import io.vigil.health.Status;
import io.vigil.health.Transition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * One check's memory: when its reported status last changed, when it last succeeded, and a ring of its last
 * {@code size} transitions. Memory is constant per check (the ring's array and one published list of at most
 * {@code size} entries); it changes only when a result is recorded, never on a cached read. Writes happen under
 * the runner's lock; {@link #recent()} is read without locking.
 */
final class CheckHistory {
    private final String name;
    private final Transition[] ring; // guarded by the runner's lock
    private int next; // guarded by the runner's lock: index of the slot the next transition goes to
    private int count; // guarded by the runner's lock
    private Status reported; // guarded by the runner's lock: null before the first result
    private Instant since; // guarded by the runner's lock
    private Instant lastSuccess; // guarded by the runner's lock
    /** The ring newest first, replaced whole on each transition; read freely. */
    private volatile List<Transition> recent = List.of();

    CheckHistory(String name, int size) {
        this.name = name;
        this.ring = new Transition[size];
    }

    /**
     * Records a result; the caller holds the runner's lock.
     *
     * @param reported the status reported (after damping)
     * @param produced the status the check produced (before damping)
     * @param cause    why it has the reported status
     * @param at       when (the registry's clock)
     * @return whether the reported status changed (the first result counts)
     */
    boolean record(Status reported, Status produced, Cause cause, Instant at) {
        if (produced != Status.DOWN) {
            lastSuccess = at;
        }
        Status before = this.reported;
        if (before == reported) {
            return false;
        }
        this.reported = reported;
        since = at;
        if (before == null) {
            return true; // the first result: a since, not a transition
        }
        ring[next] = Transition.of(name, before, reported, cause, at);
        next = (next + 1) % ring.length;
        count = Math.min(count + 1, ring.length);
        Transition[] newestFirst = new Transition[count];
        for (int i = 0; i < count; i++) {
            newestFirst[i] = ring[Math.floorMod(next - 1 - i, ring.length)];
        }
        recent = List.of(newestFirst);
        return true;
    }

    /** @return when the reported status last changed, or {@code null} before the first result */
    Instant since() {
        return since;
    }

    /** @return when the check last produced UP or DEGRADED, or {@code null} */
    Instant lastSuccess() {
        return lastSuccess;
    }

    /** @return the last transitions, newest first, at most the ring's size; unmodifiable */
    List<Transition> recent() {
        return recent;
    }

    /** @return the ring's capacity */
    int capacity() {
        return ring.length;
    }

    /** @return how many ring slots hold a transition; for tests, which read it while no result is recorded */
    int occupied() {
        return (int) Arrays.stream(ring).filter(t -> t != null).count();
    }
}
