package io.vigil.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The immutable result of evaluating one {@link Scope}: the outcome, one {@link CheckEntry} per check, the locks
 * held, the license state and the OperationOutcome issues. Made with {@link #builder(Scope, Outcome)}, changed
 * with {@code with…} copiers or {@link #toBuilder()}.
 */
public final class HealthReport {
    /**
     * Most locks a report lists (the oldest); {@link #lockCount()} counts them all, and every representation says
     * how many it left out, so ten thousand held locks cost a few kilobytes, not megabytes.
     */
    public static final int MAX_LISTED_LOCKS = 20;

    private final Scope scope;
    private final Outcome outcome;
    private final List<CheckEntry> checks;
    private final List<LockInfo> locks;
    private final int lockCount;
    private final @Nullable LicenseState license;
    private final List<Issue> issues;
    private final @Nullable Duration retryAfter;
    private final Instant timestamp;
    private final List<Transition> transitions;
    private final @Nullable Instant since;

    private HealthReport(Builder b) {
        this.scope = b.scope;
        this.outcome = b.outcome;
        this.checks = b.checks;
        this.locks = b.locks;
        this.lockCount = Math.max(b.lockCount, b.locks.size());
        this.license = b.license;
        this.issues = b.issues;
        this.retryAfter = b.retryAfter;
        this.timestamp = b.timestamp;
        this.transitions = b.transitions;
        this.since = b.since;
    }

    /**
     * Starts a report with no checks, locks, license, issues or transitions, no {@code Retry-After}, no
     * {@code since}, stamped now.
     *
     * @param scope   what was evaluated
     * @param outcome the verdict
     * @return a builder
     */
    public static Builder builder(Scope scope, Outcome outcome) {
        return new Builder(scope, outcome);
    }

    /** @return a builder holding this report's values */
    public Builder toBuilder() {
        return new Builder(scope, outcome)
                .checks(checks)
                .locks(locks)
                .lockCount(lockCount)
                .license(license)
                .issues(issues)
                .retryAfter(retryAfter)
                .timestamp(timestamp)
                .transitions(transitions)
                .since(since);
    }

    /** @return what was evaluated */
    public Scope scope() {
        return scope;
    }

    /** @return the verdict */
    public Outcome outcome() {
        return outcome;
    }

    /** @return per-check entries, in registration order */
    public List<CheckEntry> checks() {
        return checks;
    }

    /**
     * @return locks held that apply to the scope (none on liveness, which ignores locks), oldest first, at most
     *     {@link #MAX_LISTED_LOCKS}
     */
    public List<LockInfo> locks() {
        return locks;
    }

    /** @return how many locks that apply to the scope are held, listed or not */
    public int lockCount() {
        return lockCount;
    }

    /** @return how many held locks {@link #locks()} leaves out */
    public int locksNotListed() {
        return lockCount - locks.size();
    }

    /** @return the license state, or {@code null} when no license check is configured */
    public @Nullable LicenseState license() {
        return license;
    }

    /** @return OperationOutcome issues, one per non-UP condition (one informational issue when all is UP) */
    public List<Issue> issues() {
        return issues;
    }

    /** @return a sensible {@code Retry-After} for 423/503, or {@code null} */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    /** @return when the report was made */
    public Instant timestamp() {
        return timestamp;
    }

    /**
     * The recent transitions of the checks in this report's scope, newest first: each check's last ones (at most
     * {@code HealthRegistry.Builder.historySize(int)} per check), merged and trimmed to that size. A check's first
     * result is not a transition.
     *
     * @return the transitions, unmodifiable
     */
    public List<Transition> transitions() {
        return transitions;
    }

    /**
     * @return when this scope's outcome last changed (its first evaluation counts), or {@code null} if unknown
     *         (a view with exclusions whose outcome differs from the last one recorded)
     */
    public @Nullable Instant since() {
        return since;
    }

    /**
     * @param value other check entries (renamed, filtered)
     * @return a copy with those entries
     */
    public HealthReport withChecks(List<CheckEntry> value) {
        return toBuilder().checks(value).build();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof HealthReport r
                && r.scope.equals(scope)
                && r.outcome == outcome
                && r.checks.equals(checks)
                && r.locks.equals(locks)
                && r.lockCount == lockCount
                && Objects.equals(r.license, license)
                && r.issues.equals(issues)
                && Objects.equals(r.retryAfter, retryAfter)
                && r.timestamp.equals(timestamp)
                && r.transitions.equals(transitions)
                && Objects.equals(r.since, since);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                scope, outcome, checks, locks, lockCount, license, issues, retryAfter, timestamp, transitions, since);
    }

    @Override
    public String toString() {
        return "HealthReport[scope=" + scope + ", outcome=" + outcome + ", checks=" + checks + ", locks=" + locks
                + ", lockCount=" + lockCount + ", license=" + license + ", issues=" + issues + ", retryAfter="
                + retryAfter + ", timestamp="
                + timestamp + ", transitions=" + transitions + ", since=" + since + "]";
    }

    /** Builds a {@link HealthReport}. Not thread-safe. */
    public static final class Builder {
        private Scope scope;
        private Outcome outcome;
        private List<CheckEntry> checks = List.of();
        private List<LockInfo> locks = List.of();
        private int lockCount;
        private @Nullable LicenseState license;
        private List<Issue> issues = List.of();
        private @Nullable Duration retryAfter;
        private Instant timestamp = Instant.now();
        private List<Transition> transitions = List.of();
        private @Nullable Instant since;

        private Builder(Scope scope, Outcome outcome) {
            this.scope = Objects.requireNonNull(scope, "scope");
            this.outcome = Objects.requireNonNull(outcome, "outcome");
        }

        /**
         * @param value the verdict
         * @return this builder
         */
        public Builder outcome(Outcome value) {
            outcome = Objects.requireNonNull(value, "outcome");
            return this;
        }

        /**
         * @param value per-check entries, in registration order; copied
         * @return this builder
         */
        public Builder checks(List<CheckEntry> value) {
            checks = List.copyOf(value);
            return this;
        }

        /**
         * @param value locks held; copied
         * @return this builder
         */
        public Builder locks(List<LockInfo> value) {
            locks = List.copyOf(value);
            return this;
        }

        /**
         * @param value how many locks are held in all, when {@link #locks} lists only some; a count below the
         *              listed locks' means as many as listed
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder lockCount(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("lockCount must not be negative: " + value);
            }
            lockCount = value;
            return this;
        }

        /**
         * @param value the license state, or {@code null} without a license check
         * @return this builder
         */
        public Builder license(@Nullable LicenseState value) {
            license = value;
            return this;
        }

        /**
         * @param value OperationOutcome issues; copied
         * @return this builder
         */
        public Builder issues(List<Issue> value) {
            issues = List.copyOf(value);
            return this;
        }

        /**
         * @param value a sensible {@code Retry-After}, or {@code null}
         * @return this builder
         */
        public Builder retryAfter(@Nullable Duration value) {
            retryAfter = value;
            return this;
        }

        /**
         * @param value when the report was made
         * @return this builder
         */
        public Builder timestamp(Instant value) {
            timestamp = Objects.requireNonNull(value, "timestamp");
            return this;
        }

        /**
         * @param value recent transitions, newest first; copied
         * @return this builder
         */
        public Builder transitions(List<Transition> value) {
            transitions = List.copyOf(value);
            return this;
        }

        /**
         * @param value when the scope's outcome last changed, or {@code null} if unknown
         * @return this builder
         */
        public Builder since(@Nullable Instant value) {
            since = value;
            return this;
        }

        /** @return the report */
        public HealthReport build() {
            return new HealthReport(this);
        }
    }
}
