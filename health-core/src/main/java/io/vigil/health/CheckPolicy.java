package io.vigil.health;

import io.vigil.health.internal.util.Require;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * How the engine runs one registered check: which probes and groups it belongs to, how much it weighs,
 * its timeout, caching, background refresh, flap damping and circuit breaker. Immutable; build with
 * {@link #builder()}, change with {@link #toBuilder()} or a {@code with…} copier. Defaults: readiness, required,
 * timeout 1 s, cache TTL 1 s, no background refresh, thresholds 1/1, no circuit breaker, interrupt on timeout,
 * blocking (runs on the engine's threads).
 */
public final class CheckPolicy {

    static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final CheckPolicy DEFAULTS = builder().build();

    private final Set<Probe> probes;
    private final Set<String> groups;
    private final Criticality criticality;
    private final Duration timeout;
    private final Duration cacheTtl;
    private final Duration refreshPeriod;
    private final int failureThreshold;
    private final int successThreshold;
    private final int breakerFailures;
    private final Duration breakerBackoff;
    private final boolean allowOnLiveness;
    private final boolean interruptOnTimeout;
    private final boolean nonBlocking;

    private CheckPolicy(Builder b) {
        if (b.probes.isEmpty() && b.groups.isEmpty()) {
            throw new IllegalArgumentException("a check must belong to at least one probe or group");
        }
        probes = b.probes.isEmpty() ? Set.of() : Set.copyOf(b.probes);
        groups = Set.copyOf(b.groups);
        criticality = b.criticality;
        timeout = b.timeout;
        cacheTtl = b.cacheTtl;
        refreshPeriod = b.refreshPeriod;
        failureThreshold = b.failureThreshold;
        successThreshold = b.successThreshold;
        breakerFailures = b.breakerFailures;
        breakerBackoff = b.breakerBackoff;
        allowOnLiveness = b.allowOnLiveness;
        interruptOnTimeout = b.interruptOnTimeout;
        nonBlocking = b.nonBlocking;
    }

    /** @return probes the check belongs to (may be empty when it only belongs to groups) */
    public Set<Probe> probes() {
        return probes;
    }

    /** @return named groups, served under {@code /group/{name}} */
    public Set<String> groups() {
        return groups;
    }

    /** @return REQUIRED (DOWN fails the probe) or OPTIONAL (DOWN degrades it) */
    public Criticality criticality() {
        return criticality;
    }

    /** @return longest a probe waits for the check; positive */
    public Duration timeout() {
        return timeout;
    }

    /** @return how long a result is reused; zero disables caching */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    /** @return period of background evaluation, or zero for on-demand evaluation */
    public Duration refreshPeriod() {
        return refreshPeriod;
    }

    /** @return consecutive failures before the reported status turns DOWN; at least 1 */
    public int failureThreshold() {
        return failureThreshold;
    }

    /** @return consecutive successes before a DOWN check reports UP again; at least 1 */
    public int successThreshold() {
        return successThreshold;
    }

    /** @return consecutive failures that open the circuit breaker; zero disables it */
    public int breakerFailures() {
        return breakerFailures;
    }

    /** @return how long an open breaker waits before a half-open trial call */
    public Duration breakerBackoff() {
        return breakerBackoff;
    }

    /** @return the explicit opt-in for dependency checks on the liveness probe */
    public boolean allowOnLiveness() {
        return allowOnLiveness;
    }

    /** @return whether the thread of an execution that overruns its timeout is interrupted */
    public boolean interruptOnTimeout() {
        return interruptOnTimeout;
    }

    /** @return whether the check only reads memory and runs on the probing caller's thread */
    public boolean nonBlocking() {
        return nonBlocking;
    }

    /**
     * @param value how long a probe waits for the check
     * @return a copy with that timeout
     * @throws IllegalArgumentException unless positive
     */
    public CheckPolicy withTimeout(Duration value) {
        return toBuilder().timeout(value).build();
    }

    /**
     * @param value REQUIRED or OPTIONAL
     * @return a copy with that criticality
     */
    public CheckPolicy withCriticality(Criticality value) {
        return toBuilder().criticality(value).build();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof CheckPolicy p
                && p.probes.equals(probes)
                && p.groups.equals(groups)
                && p.criticality == criticality
                && p.timeout.equals(timeout)
                && p.cacheTtl.equals(cacheTtl)
                && p.refreshPeriod.equals(refreshPeriod)
                && p.failureThreshold == failureThreshold
                && p.successThreshold == successThreshold
                && p.breakerFailures == breakerFailures
                && p.breakerBackoff.equals(breakerBackoff)
                && p.allowOnLiveness == allowOnLiveness
                && p.interruptOnTimeout == interruptOnTimeout
                && p.nonBlocking == nonBlocking;
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                probes,
                groups,
                criticality,
                timeout,
                cacheTtl,
                refreshPeriod,
                failureThreshold,
                successThreshold,
                breakerFailures,
                breakerBackoff,
                allowOnLiveness,
                interruptOnTimeout,
                nonBlocking);
    }

    @Override
    public String toString() {
        return "CheckPolicy[probes=" + probes + ", groups=" + groups + ", " + criticality + ", timeout=" + timeout
                + ", cacheTtl=" + cacheTtl + ", refreshPeriod=" + refreshPeriod + ", thresholds="
                + failureThreshold + "/" + successThreshold + ", breaker=" + breakerFailures + "/" + breakerBackoff
                + (allowOnLiveness ? ", allowOnLiveness" : "") + (interruptOnTimeout ? "" : ", noInterrupt")
                + (nonBlocking ? ", nonBlocking" : "") + "]";
    }

    /** @return the default policy: readiness, required, 1 s timeout, 1 s cache */
    public static CheckPolicy defaults() {
        return DEFAULTS;
    }

    /** @return a builder starting from the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder starting from this policy */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.probes = probes.isEmpty() ? EnumSet.noneOf(Probe.class) : EnumSet.copyOf(probes);
        b.groups = new LinkedHashSet<>(groups);
        b.criticality = criticality;
        b.timeout = timeout;
        b.cacheTtl = cacheTtl;
        b.refreshPeriod = refreshPeriod;
        b.failureThreshold = failureThreshold;
        b.successThreshold = successThreshold;
        b.breakerFailures = breakerFailures;
        b.breakerBackoff = breakerBackoff;
        b.allowOnLiveness = allowOnLiveness;
        b.interruptOnTimeout = interruptOnTimeout;
        b.nonBlocking = nonBlocking;
        return b;
    }

    /** @return whether a background refresh period is set */
    public boolean refreshes() {
        return !refreshPeriod.isZero();
    }

    /** @return whether the circuit breaker is enabled */
    public boolean hasBreaker() {
        return breakerFailures > 0;
    }

    /** Builds a {@link CheckPolicy}. Not thread-safe. */
    public static final class Builder {
        private EnumSet<Probe> probes = EnumSet.of(Probe.READINESS);
        private Set<String> groups = new LinkedHashSet<>();
        private Criticality criticality = Criticality.REQUIRED;
        private Duration timeout = Duration.ofSeconds(1);
        private Duration cacheTtl = Duration.ofSeconds(1);
        private Duration refreshPeriod = Duration.ZERO;
        private int failureThreshold = 1;
        private int successThreshold = 1;
        private int breakerFailures;
        private Duration breakerBackoff = Duration.ofSeconds(30);
        private boolean allowOnLiveness;
        private boolean interruptOnTimeout = true;
        private boolean nonBlocking;

        Builder() {}

        /**
         * Replaces the probes the check belongs to.
         *
         * @param first  a probe
         * @param others more probes
         * @return this builder
         */
        public Builder probes(Probe first, Probe... others) {
            probes = EnumSet.of(Objects.requireNonNull(first, "first"), others);
            return this;
        }

        /**
         * Removes the check from every probe, so it is served only in its groups and on the base path.
         *
         * @return this builder
         */
        public Builder noProbes() {
            probes = EnumSet.noneOf(Probe.class);
            return this;
        }

        /**
         * Adds named groups.
         *
         * @param names group names: letters, digits, {@code . _ -}, at most 64 characters
         * @return this builder
         * @throws IllegalArgumentException for an invalid name
         */
        public Builder groups(String... names) {
            for (String n : names) {
                if (n == null || !GROUP_NAME.matcher(n).matches()) {
                    throw new IllegalArgumentException("invalid group name " + n
                            + ": letters, digits, '.', '_' or '-', starting with a letter or digit, at most 64"
                            + " characters");
                }
                groups.add(n);
            }
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

        /** @return this builder, with the check OPTIONAL */
        public Builder optional() {
            return criticality(Criticality.OPTIONAL);
        }

        /**
         * @param value how long a probe waits for the check
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration value) {
            Require.positive(value, "timeout");
            timeout = value;
            return this;
        }

        /**
         * @param value how long a result is reused; {@link Duration#ZERO} disables caching
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder cacheTtl(Duration value) {
            Require.notNegative(value, "cacheTtl");
            cacheTtl = value;
            return this;
        }

        /**
         * Evaluates the check in the background every period; probes then read the latest result and never
         * call the check themselves.
         *
         * @param value the period; {@link Duration#ZERO} turns background refresh off
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder refreshEvery(Duration value) {
            Require.notNegative(value, "refreshPeriod");
            refreshPeriod = value;
            return this;
        }

        /**
         * Flap damping, like kubelet's {@code failureThreshold}/{@code successThreshold}.
         *
         * @param failures  consecutive failures before DOWN is reported
         * @param successes consecutive successes before a DOWN check reports UP again
         * @return this builder
         * @throws IllegalArgumentException if either is below 1
         */
        public Builder thresholds(int failures, int successes) {
            if (failures < 1 || successes < 1) {
                throw new IllegalArgumentException("thresholds must be at least 1");
            }
            failureThreshold = failures;
            successThreshold = successes;
            return this;
        }

        /**
         * Enables the circuit breaker: after {@code failures} consecutive failures the check is called at most
         * once per {@code backoff} (a half-open trial) until it succeeds.
         *
         * @param failures consecutive failures that open the breaker; at least 1
         * @param backoff  wait before each trial; positive
         * @return this builder
         * @throws IllegalArgumentException for invalid values
         */
        public Builder circuitBreaker(int failures, Duration backoff) {
            if (failures < 1) {
                throw new IllegalArgumentException("failures must be at least 1");
            }
            Require.positive(backoff, "backoff");
            breakerFailures = failures;
            breakerBackoff = backoff;
            return this;
        }

        /**
         * Explicitly allows a dependency or datastore check on the liveness probe. A warning is logged at
         * registration: a dependency outage would then make Kubernetes restart healthy pods.
         *
         * @return this builder
         */
        public Builder allowOnLiveness() {
            allowOnLiveness = true;
            return this;
        }

        /**
         * Whether the thread of an execution that overruns its timeout is interrupted (default {@code true}: it
         * frees checks blocked in interruptible calls). Turn it off for clients that break when interrupted (some
         * pooled HTTP and database clients leak or close a connection on interrupt). Either way the probe stops
         * waiting at the timeout, and a check still running costs its one thread.
         *
         * @param value the setting
         * @return this builder
         */
        public Builder interruptOnTimeout(boolean value) {
            interruptOnTimeout = value;
            return this;
        }

        /**
         * Declares that the check only reads memory (a queue depth, a breaker state, a flag): it then runs on the
         * thread of the probe that needs it, with no hand-off to an engine thread, still single-flight, cached and
         * timed. An execution that overruns the timeout is DOWN ({@code TIMEOUT}) for that probe, is logged once
         * at WARN, and the check runs on the engine's threads from then on (until it is registered again): a wrong
         * declaration costs one slow probe. A check that never returns holds the one caller thread that ran it.
         * Checks that declare themselves non-blocking ({@link HealthCheck#nonBlocking()}) need no policy setting.
         *
         * @return this builder
         */
        public Builder nonBlocking() {
            nonBlocking = true;
            return this;
        }

        /**
         * @return the policy
         * @throws IllegalArgumentException when the check belongs to no probe and no group
         */
        public CheckPolicy build() {
            return new CheckPolicy(this);
        }
    }
}
