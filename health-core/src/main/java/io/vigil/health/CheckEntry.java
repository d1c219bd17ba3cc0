package io.vigil.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One check's row in a {@link HealthReport}: the engine's view of the check after timeouts, caching, flap
 * damping and the circuit breaker. Immutable; made with {@link #builder(String)}, changed with {@code with…}
 * copiers or {@link #toBuilder()}, so a new field never breaks a caller.
 */
public final class CheckEntry {
    private final String name;
    private final Status status;
    private final Criticality criticality;
    private final CheckKind kind;
    private final Cause cause;
    private final String message;
    private final Map<String, Object> data;
    private final Duration duration;
    private final boolean cached;
    private final @Nullable Instant checkedAt;
    private final BreakerState breaker;
    private final @Nullable Duration retryAfter;
    private final @Nullable Instant since;
    private final @Nullable Instant lastSuccess;
    private final int consecutiveFailures;

    private CheckEntry(Builder b) {
        this.name = b.name;
        this.status = b.status;
        this.criticality = b.criticality;
        this.kind = b.kind;
        this.cause = b.cause;
        this.message = b.message;
        this.data = b.data;
        this.duration = b.duration;
        this.cached = b.cached;
        this.checkedAt = b.checkedAt;
        this.breaker = b.breaker;
        this.retryAfter = b.retryAfter;
        this.since = b.since;
        this.lastSuccess = b.lastSuccess;
        this.consecutiveFailures = b.consecutiveFailures;
    }

    /**
     * Starts an entry: UP, REQUIRED, a {@link CheckKind#PROCESS} check, cause REPORTED, no message, no data, zero
     * duration, not cached, never checked, breaker CLOSED, no history ({@code since} and {@code lastSuccess}
     * unknown, no failures).
     *
     * @param name the registered name
     * @return a builder
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return a builder holding this entry's values */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.status = status;
        b.criticality = criticality;
        b.kind = kind;
        b.cause = cause;
        b.message = message;
        b.data = data;
        b.duration = duration;
        b.cached = cached;
        b.checkedAt = checkedAt;
        b.breaker = breaker;
        b.retryAfter = retryAfter;
        b.since = since;
        b.lastSuccess = lastSuccess;
        b.consecutiveFailures = consecutiveFailures;
        return b;
    }

    /** @return the registered name */
    public String name() {
        return name;
    }

    /** @return the reported status (after flap damping) */
    public Status status() {
        return status;
    }

    /** @return REQUIRED or OPTIONAL */
    public Criticality criticality() {
        return criticality;
    }

    /** @return what the check looks at */
    public CheckKind kind() {
        return kind;
    }

    /** @return why it has this status */
    public Cause cause() {
        return cause;
    }

    /** @return the redacted message, never {@code null}; shown only with details */
    public String message() {
        return message;
    }

    /** @return the check's data, unmodifiable; shown only with details */
    public Map<String, Object> data() {
        return data;
    }

    /** @return how long the evaluation behind this entry took */
    public Duration duration() {
        return duration;
    }

    /** @return whether the result was reused rather than computed for this request */
    public boolean cached() {
        return cached;
    }

    /** @return when the result was produced, or {@code null} if never */
    public @Nullable Instant checkedAt() {
        return checkedAt;
    }

    /** @return the circuit breaker's state */
    public BreakerState breaker() {
        return breaker;
    }

    /** @return when a retry makes sense (open breaker), or {@code null} */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /**
     * When the check's reported status last changed: the time of the result that first reported {@link #status()}
     * (the check's first result counts as a change). Unchanged while results are served from cache and while
     * re-evaluations report the same status. Views that are not results (open circuit, stale, rejected,
     * interrupted) carry the history of the last recorded result.
     *
     * @return that time (the registry's clock), or {@code null} if the check never produced a result
     */
    public @Nullable Instant since() {
        return since;
    }

    /**
     * @return when the check last produced an UP or DEGRADED result (before flap damping: a success while
     *         recovering counts), or {@code null} if it never did
     */
    public @Nullable Instant lastSuccess() {
        return lastSuccess;
    }

    /**
     * @return DOWN results in a row, before flap damping (a tolerated failure counts); 0 when the last result was
     *         not DOWN or there was none
     */
    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    /** @return whether this check fails its probe (REQUIRED and DOWN) */
    public boolean failsProbe() {
        return status == Status.DOWN && criticality == Criticality.REQUIRED;
    }

    /** @return the same entry marked as served from cache */
    public CheckEntry asCached() {
        return cached ? this : toBuilder().cached(true).build();
    }

    /**
     * @param value another name (a display name, say)
     * @return a copy with that name
     */
    public CheckEntry withName(String value) {
        return value.equals(name) ? this : toBuilder().name(value).build();
    }

    /**
     * @param value another status
     * @return a copy with that status
     */
    public CheckEntry withStatus(Status value) {
        return value == status ? this : toBuilder().status(value).build();
    }

    /**
     * @param value another message (redact it first)
     * @return a copy with that message
     */
    public CheckEntry withMessage(String value) {
        return toBuilder().message(value).build();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof CheckEntry e
                && e.cached == cached
                && e.name.equals(name)
                && e.status == status
                && e.criticality == criticality
                && e.kind == kind
                && e.cause == cause
                && e.message.equals(message)
                && e.data.equals(data)
                && e.duration.equals(duration)
                && Objects.equals(e.checkedAt, checkedAt)
                && e.breaker == breaker
                && Objects.equals(e.retryAfter, retryAfter)
                && Objects.equals(e.since, since)
                && Objects.equals(e.lastSuccess, lastSuccess)
                && e.consecutiveFailures == consecutiveFailures;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                name,
                status,
                criticality,
                kind,
                cause,
                message,
                data,
                duration,
                cached,
                checkedAt,
                breaker,
                retryAfter,
                since,
                lastSuccess,
                consecutiveFailures);
    }

    /** @return every field, record-style; the message is already redacted */
    @Override
    public String toString() {
        return "CheckEntry[name=" + name + ", status=" + status + ", criticality=" + criticality + ", kind=" + kind
                + ", cause=" + cause + ", message=" + message + ", data=" + data + ", duration=" + duration
                + ", cached=" + cached + ", checkedAt=" + checkedAt + ", breaker=" + breaker + ", retryAfter="
                + retryAfter + ", since=" + since + ", lastSuccess=" + lastSuccess + ", consecutiveFailures="
                + consecutiveFailures + "]";
    }

    /** Builds a {@link CheckEntry}. Not thread-safe. */
    public static final class Builder {
        private static final Class<?> UNMODIFIABLE =
                Collections.unmodifiableMap(new LinkedHashMap<>()).getClass();
        private String name;
        private Status status = Status.UP;
        private Criticality criticality = Criticality.REQUIRED;
        private CheckKind kind = CheckKind.PROCESS;
        private Cause cause = Cause.REPORTED;
        private String message = "";
        private Map<String, Object> data = Map.of();
        private Duration duration = Duration.ZERO;
        private boolean cached;
        private @Nullable Instant checkedAt;
        private BreakerState breaker = BreakerState.CLOSED;
        private @Nullable Duration retryAfter;
        private @Nullable Instant since;
        private @Nullable Instant lastSuccess;
        private int consecutiveFailures;

        private Builder(String name) {
            name(name);
        }

        /**
         * @param value the registered name
         * @return this builder
         */
        public Builder name(String value) {
            name = Objects.requireNonNull(value, "name");
            return this;
        }

        /**
         * @param value the reported status
         * @return this builder
         */
        public Builder status(Status value) {
            status = Objects.requireNonNull(value, "status");
            return this;
        }

        /**
         * @param value REQUIRED or OPTIONAL
         * @return this builder
         */
        public Builder criticality(Criticality value) {
            criticality = Objects.requireNonNull(value, "criticality");
            return this;
        }

        /**
         * @param value what the check looks at
         * @return this builder
         */
        public Builder kind(CheckKind value) {
            kind = Objects.requireNonNull(value, "kind");
            return this;
        }

        /**
         * @param value why the check has its status
         * @return this builder
         */
        public Builder cause(Cause value) {
            cause = Objects.requireNonNull(value, "cause");
            return this;
        }

        /**
         * @param value the redacted message; {@code null} means none
         * @return this builder
         */
        public Builder message(String value) {
            message = value == null ? "" : value;
            return this;
        }

        /**
         * @param value the check's data; {@code null} means none; copied, in its iteration order, unless it is
         *              already an unmodifiable map (as {@link CheckResult#data()} is)
         * @return this builder
         */
        public Builder data(Map<String, Object> value) {
            data = value == null || value.isEmpty()
                    ? Map.of()
                    : value.getClass() == UNMODIFIABLE
                            ? value
                            : Collections.unmodifiableMap(new LinkedHashMap<>(value));
            return this;
        }

        /**
         * @param value how long the evaluation took
         * @return this builder
         */
        public Builder duration(Duration value) {
            duration = Objects.requireNonNull(value, "duration");
            return this;
        }

        /**
         * @param value whether the result was served from cache
         * @return this builder
         */
        public Builder cached(boolean value) {
            cached = value;
            return this;
        }

        /**
         * @param value when the result was produced; {@code null} if never
         * @return this builder
         */
        public Builder checkedAt(@Nullable Instant value) {
            checkedAt = value;
            return this;
        }

        /**
         * @param value the circuit breaker's state
         * @return this builder
         */
        public Builder breaker(BreakerState value) {
            breaker = Objects.requireNonNull(value, "breaker");
            return this;
        }

        /**
         * @param value when a retry makes sense; {@code null} if unknown
         * @return this builder
         */
        public Builder retryAfter(@Nullable Duration value) {
            retryAfter = value;
            return this;
        }

        /**
         * @param value when the reported status last changed; {@code null} if never run
         * @return this builder
         */
        public Builder since(@Nullable Instant value) {
            since = value;
            return this;
        }

        /**
         * @param value when the check last produced an UP or DEGRADED result; {@code null} if never
         * @return this builder
         */
        public Builder lastSuccess(@Nullable Instant value) {
            lastSuccess = value;
            return this;
        }

        /**
         * @param value DOWN results in a row
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder consecutiveFailures(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("consecutiveFailures must not be negative");
            }
            consecutiveFailures = value;
            return this;
        }

        /** @return the entry */
        public CheckEntry build() {
            return new CheckEntry(this);
        }
    }
}
