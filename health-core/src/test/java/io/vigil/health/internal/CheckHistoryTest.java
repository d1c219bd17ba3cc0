package io.vigil.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.Status;
import io.vigil.health.Transition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class CheckHistoryTest {
    private final java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    /**
     * For any sequence of reported statuses, the ring is the last N actual changes, newest first; {@code since} is
     * the time of the last change (the first result counts); {@code lastSuccess} the time of the last success.
     */
    @Property
    void theRingIsTheLastNActualChanges(
            @ForAll @Size(max = 200) List<Status> reported, @ForAll @IntRange(min = 1, max = 8) int size) {
        CheckHistory h = new CheckHistory("db", size);
        List<Transition> changes = new ArrayList<>();
        Status previous = null;
        Instant since = null;
        Instant lastSuccess = null;
        for (int i = 0; i < reported.size(); i++) {
            Status s = reported.get(i);
            Instant at = T0.plusSeconds(i);
            Cause cause = s == Status.DOWN ? Cause.TIMEOUT : Cause.REPORTED;
            boolean changed = h.record(s, s, cause, at, seq::incrementAndGet);
            assertThat(changed).isEqualTo(s != previous);
            if (previous != null && s != previous) {
                changes.add(Transition.of("db", previous, s, cause, at));
            }
            if (s != previous) {
                since = at;
            }
            if (s != Status.DOWN) {
                lastSuccess = at;
            }
            previous = s;
        }
        List<Transition> expected =
                new ArrayList<>(changes.subList(Math.max(0, changes.size() - size), changes.size()));
        Collections.reverse(expected);
        assertThat(h.recent()).containsExactlyElementsOf(expected);
        assertThat(h.occupied()).isEqualTo(Math.min(size, changes.size())).isLessThanOrEqualTo(h.capacity());
        assertThat(h.since()).isEqualTo(since);
        assertThat(h.lastSuccess()).isEqualTo(lastSuccess);
    }

    @Test
    void theFirstResultSetsSinceButIsNoTransition() {
        CheckHistory h = new CheckHistory("db", 3);
        assertThat(h.record(Status.DOWN, Status.DOWN, Cause.REPORTED, T0, seq::incrementAndGet))
                .isTrue();
        assertThat(h.since()).isEqualTo(T0);
        assertThat(h.recent()).isEmpty();
        assertThat(h.lastSuccess()).isNull();
    }

    @Test
    void aSuccessThatDampingHidesStillCountsAsTheLastSuccess() {
        CheckHistory h = new CheckHistory("db", 3);
        h.record(Status.DOWN, Status.DOWN, Cause.REPORTED, T0, seq::incrementAndGet);
        h.record(
                Status.DOWN,
                Status.UP,
                Cause.REPORTED,
                T0.plusSeconds(1),
                seq::incrementAndGet); // recovering, 1 of 2 successes
        assertThat(h.lastSuccess()).isEqualTo(T0.plusSeconds(1));
        assertThat(h.since()).isEqualTo(T0);
        assertThat(h.recent()).isEmpty();
    }
}
