package io.vigil.health.internal;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The entries of one check that are not recorded results: never run, open circuit, stale, rejected, interrupted.
 * Each carries the history of the last recorded result and changes none. Immutable; shared by the runner's parts.
 */
final class Views {
    private final String name;
    private final CheckPolicy policy;
    private final CheckKind kind;
    private final CheckEntry neverRun;

    Views(String name, CheckPolicy policy, CheckKind kind) {
        this.name = name;
        this.policy = policy;
        this.kind = kind;
        this.neverRun = base(
                        Status.DOWN,
                        Cause.NEVER_RUN,
                        "not checked yet",
                        Map.of(),
                        Duration.ZERO,
                        false,
                        null,
                        BreakerState.CLOSED,
                        null)
                .build();
    }

    /** @return the entry of a check that has no recorded result yet */
    CheckEntry neverRun() {
        return neverRun;
    }

    /** @return an entry of this check with the given fields and no history; the recorder and the views add theirs */
    CheckEntry.Builder base(
            Status status,
            Cause cause,
            String message,
            Map<String, Object> data,
            Duration took,
            boolean cached,
            @Nullable Instant at,
            BreakerState state,
            @Nullable Duration retryAfter) {
        return CheckEntry.builder(name)
                .status(status)
                .criticality(policy.criticality())
                .kind(kind)
                .cause(cause)
                .message(message)
                .data(data)
                .duration(took)
                .cached(cached)
                .checkedAt(at)
                .breaker(state)
                .retryAfter(retryAfter);
    }

    /**
     * While the breaker is open the last reported status is served (the breaker opens only on reported failures,
     * so it is DOWN unless the check never reported).
     *
     * @param last     the last recorded entry, or {@code null}
     * @param waitNanos until the next trial call
     * @return the open-circuit view
     */
    CheckEntry open(@Nullable CheckEntry last, long waitNanos) {
        CheckEntry l = last == null ? neverRun : last;
        return remembering(
                base(
                        l.status(),
                        Cause.CIRCUIT_OPEN,
                        "circuit open after repeated failures; last: " + l.message(),
                        l.data(),
                        l.duration(),
                        true,
                        l.checkedAt(),
                        BreakerState.OPEN,
                        Duration.ofNanos(waitNanos)),
                l.status(),
                l);
    }

    /**
     * @param last  the last recorded entry
     * @param agoMs since the last completed refresh
     * @return the stale view: DOWN
     */
    CheckEntry stale(CheckEntry last, long agoMs) {
        return remembering(
                base(
                        Status.DOWN,
                        Cause.STALE,
                        "no background refresh has completed for " + agoMs + " ms; last: " + last.message(),
                        last.data(),
                        last.duration(),
                        true,
                        last.checkedAt(),
                        last.breaker(),
                        null),
                Status.DOWN,
                last);
    }

    /**
     * @param last     the last recorded entry, or {@code null}
     * @param noThread whether no lane took the execution at all (rather than took it and did not start it in time,
     *                 busy or starved of CPU)
     * @return the view of an execution no thread started by its deadline: DOWN for this evaluation, uncounted
     */
    CheckEntry rejected(@Nullable CheckEntry last, boolean noThread) {
        CheckEntry l = last == null ? neverRun : last;
        String why = noThread
                ? "no engine thread was available to run the check"
                : "no engine thread started the check within its timeout of "
                        + policy.timeout().toMillis() + " ms";
        return remembering(
                base(Status.DOWN, Cause.REJECTED, why, Map.of(), Duration.ZERO, false, null, l.breaker(), null),
                Status.DOWN,
                l);
    }

    /**
     * @param last the last recorded entry, or {@code null}
     * @return an interrupted caller's own answer: not recorded, not published
     */
    CheckEntry interrupted(@Nullable CheckEntry last) {
        CheckEntry l = last == null ? neverRun : last;
        return remembering(
                base(
                        Status.DOWN,
                        Cause.INTERRUPTED,
                        "probe interrupted before the check finished",
                        Map.of(),
                        Duration.ZERO,
                        false,
                        null,
                        l.breaker(),
                        null),
                Status.DOWN,
                l);
    }

    /** A view keeps the recorded history; its {@code since} is the recorded one when that was the same status. */
    private static CheckEntry remembering(CheckEntry.Builder view, Status status, CheckEntry last) {
        return view.since(last.status() == status ? last.since() : null)
                .lastSuccess(last.lastSuccess())
                .consecutiveFailures(last.consecutiveFailures())
                .build();
    }
}
