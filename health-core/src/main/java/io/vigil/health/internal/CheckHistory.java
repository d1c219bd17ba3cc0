package io.vigil.health.internal;

import io.vigil.health.Cause;
import io.vigil.health.Status;
import io.vigil.health.Transition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One check's memory: when its reported status last changed, when it last succeeded, and a ring of its last
 * {@code size} transitions. Memory is constant per check (the ring's array and one published list of at most
 * {@code size} entries); it changes only when a result is recorded, never on a cached read. Writes happen under
 * the runner's lock; {@link #recent()} is read without locking.
 */
final class CheckHistory {
    private final String name;
    private final Transition[] ring; // guarded by the runner's lock
    private final long[] sequence; // guarded by the runner's lock: the engine's sequence number of each ring entry
    private int next; // guarded by the runner's lock: index of the slot the next transition goes to
    private int count; // guarded by the runner's lock
    private @Nullable Status reported; // guarded by the runner's lock: null before the first result
    private @Nullable Instant since; // guarded by the runner's lock
    private @Nullable Instant lastSuccess; // guarded by the runner's lock
    /** The ring newest first, replaced whole on each transition; read freely. */
    private volatile Recent recent = Recent.NONE;

    /** The ring newest first with the engine's sequence number of each transition: one immutable pair. */
    // a class, not a record: a record's equals would compare the array by identity; nobody compares these
    static final class Recent {
        static final Recent NONE = new Recent(List.of(), new long[0]);

        private final List<Transition> transitions;
        private final long[] sequence; // never modified after construction

        Recent(List<Transition> transitions, long[] sequence) {
            this.transitions = transitions;
            this.sequence = sequence;
        }

        List<Transition> transitions() {
            return transitions;
        }

        /** @return the sequence number of each transition; callers must not modify it */
        long[] sequence() {
            return sequence;
        }
    }

    CheckHistory(String name, int size) {
        this.name = name;
        this.ring = new Transition[size];
        this.sequence = new long[size];
    }

    /**
     * Records a result; the caller holds the runner's lock.
     *
     * @param reported the status reported (after damping)
     * @param produced the status the check produced (before damping)
     * @param cause    why it has the reported status
     * @param at       when (the registry's clock): shown, never used to order
     * @param next     the engine's transition sequence, advanced once per transition: transitions are ordered by it,
     *                 so a wall clock stepped back never reorders them
     * @return whether the reported status changed (the first result counts)
     */
    boolean record(Status reported, Status produced, Cause cause, Instant at, LongSupplier next) {
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
        ring[this.next] = Transition.of(name, before, reported, cause, at);
        sequence[this.next] = next.getAsLong();
        this.next = (this.next + 1) % ring.length;
        count = Math.min(count + 1, ring.length);
        Transition[] newestFirst = new Transition[count];
        long[] seq = new long[count];
        for (int i = 0; i < count; i++) {
            int at2 = Math.floorMod(this.next - 1 - i, ring.length);
            newestFirst[i] = ring[at2];
            seq[i] = sequence[at2];
        }
        recent = new Recent(List.of(newestFirst), seq);
        return true;
    }

    /** @return when the reported status last changed, or {@code null} before the first result */
    @Nullable
    Instant since() {
        return since;
    }

    /** @return when the check last produced UP or DEGRADED, or {@code null} */
    @Nullable
    Instant lastSuccess() {
        return lastSuccess;
    }

    /** @return the last transitions, newest first, at most the ring's size; unmodifiable */
    List<Transition> recent() {
        return recent.transitions();
    }

    /** @return the last transitions with their sequence numbers, newest first, read together */
    Recent recentWithSequence() {
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
