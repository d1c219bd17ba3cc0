package io.vigil.health;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change of a check's reported {@link Status} (after flap damping), as the engine remembers it: which check,
 * from what, to what, why ({@link Cause} of the new status) and when (the registry's clock). A check's first result
 * is not a transition (nothing came before it); it sets {@link CheckEntry#since()}. A probe's memory is
 * {@link HealthReport#since()}. Immutable; made with {@link #of(String, Status, Status, Cause, Instant)}.
 */
public final class Transition {
    private final String subject;
    private final Status from;
    private final Status to;
    private final Cause cause;
    private final Instant at;

    private Transition(String subject, Status from, Status to, Cause cause, Instant at) {
        this.subject = Objects.requireNonNull(subject, "subject");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.cause = Objects.requireNonNull(cause, "cause");
        this.at = Objects.requireNonNull(at, "at");
    }

    /**
     * @param subject the check's registered name
     * @param from    the status reported before
     * @param to      the status reported since
     * @param cause   why it has the new status
     * @param at      when the new status was first reported
     * @return the transition
     * @throws NullPointerException if any argument is {@code null}
     */
    public static Transition of(String subject, Status from, Status to, Cause cause, Instant at) {
        return new Transition(subject, from, to, cause, at);
    }

    /** @return the check's registered name */
    public String subject() {
        return subject;
    }

    /** @return the status reported before, never {@code null} */
    public Status from() {
        return from;
    }

    /** @return the status reported since {@link #at()}, never {@code null} */
    public Status to() {
        return to;
    }

    /** @return why the check has the new status ({@code REPORTED}, {@code TIMEOUT}, ...), never {@code null} */
    public Cause cause() {
        return cause;
    }

    /** @return when the new status was first reported (the registry's clock) */
    public Instant at() {
        return at;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Transition t
                && t.subject.equals(subject)
                && t.from == from
                && t.to == to
                && t.cause == cause
                && t.at.equals(at);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, from, to, cause, at);
    }

    /** @return every field, record-style */
    @Override
    public String toString() {
        return "Transition[subject=" + subject + ", from=" + from + ", to=" + to + ", cause=" + cause + ", at=" + at
                + "]";
    }
}
