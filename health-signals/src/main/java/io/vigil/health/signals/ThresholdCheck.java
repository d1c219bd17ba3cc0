package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * Health from a number the application knows: a queue's size, a pool's waiters, a breaker's state. The number is
 * read at every evaluation and judged against warn/fail limits above and below it:
 *
 * <pre>{@code
 * health.register("dead-letters", ThresholdCheck.of(deadLetters::size).failAbove(100).unit("messages").build());
 * }</pre>
 *
 * DOWN strictly above {@code failAbove} or below {@code failBelow}, else DEGRADED strictly past a warn limit, else
 * UP; a value that is not a number (NaN) is DOWN. Data: {@code value}, {@code unit} and the limits that are set.
 *
 * <p>Inline by default ({@link #nonBlocking()} is {@code true}): the supplier must only read memory. A supplier
 * that does I/O is declared with {@link Builder#blocking()} and runs on the engine's pool under its timeout.
 * Which probe: readiness, usually as a DEGRADED warning; liveness only for a number a restart resets. Immutable
 * and thread-safe when the supplier is.
 */
public final class ThresholdCheck implements HealthCheck {
    private final DoubleSupplier value;
    private final Thresholds limits;
    private final String unit;
    private final String what;
    private final boolean blocking;

    private ThresholdCheck(Builder b) {
        this.value = b.value;
        this.limits = b.limits.validated();
        this.unit = b.unit;
        this.what = b.what;
        this.blocking = b.blocking;
    }

    /**
     * @param value the number, read at every evaluation
     * @return a builder
     * @throws NullPointerException if {@code value} is null
     */
    public static Builder of(DoubleSupplier value) {
        return new Builder(Objects.requireNonNull(value, "value"));
    }

    /**
     * @param value the number, read at every evaluation (a {@code LongAdder::sum}, an {@code AtomicLong::get})
     * @return a builder
     * @throws NullPointerException if {@code value} is null
     */
    public static Builder ofLong(LongSupplier value) {
        Objects.requireNonNull(value, "value");
        return new Builder(() -> value.getAsLong());
    }

    @Override
    public CheckResult check() {
        double v = value.getAsDouble();
        if (Double.isNaN(v)) {
            return CheckResult.down(what + " is not a number").withData(limits.data(v, unit));
        }
        return limits.result(what, v, unit);
    }

    @Override
    public boolean nonBlocking() {
        return !blocking;
    }

    /** Settings of a {@link ThresholdCheck}; at least one limit must be set. Not thread-safe. */
    public static final class Builder {
        private final DoubleSupplier value;
        private Thresholds limits = Thresholds.NONE;
        private String unit = "";
        private String what = "value";
        private boolean blocking;

        Builder(DoubleSupplier value) {
            this.value = value;
        }

        /**
         * @param limit DEGRADED strictly above this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder warnAbove(double limit) {
            limits = limits.withWarnAbove(limit);
            return this;
        }

        /**
         * @param limit DOWN strictly above this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder failAbove(double limit) {
            limits = limits.withFailAbove(limit);
            return this;
        }

        /**
         * @param limit DEGRADED strictly below this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder warnBelow(double limit) {
            limits = limits.withWarnBelow(limit);
            return this;
        }

        /**
         * @param limit DOWN strictly below this value
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is infinite
         */
        public Builder failBelow(double limit) {
            limits = limits.withFailBelow(limit);
            return this;
        }

        /**
         * @param value the unit shown after the numbers in messages and as data {@code unit} ("messages", "ms");
         *              none by default
         * @return this builder
         */
        public Builder unit(String value) {
            unit = Objects.requireNonNull(value, "unit");
            return this;
        }

        /**
         * @param value what the number is, the subject of the message ("dead letters"); {@code value} by default
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder named(String value) {
            if (Objects.requireNonNull(value, "named").isBlank()) {
                throw new IllegalArgumentException("named must not be blank");
            }
            what = value;
            return this;
        }

        /**
         * Declares that the supplier may block (it does I/O), so that the engine runs it on its pool under the
         * registration's timeout instead of on the probing caller's thread.
         *
         * @return this builder
         */
        public Builder blocking() {
            blocking = true;
            return this;
        }

        /**
         * @return the check
         * @throws IllegalArgumentException if no limit is set or the limits are inverted
         */
        public ThresholdCheck build() {
            if (!limits.any()) {
                throw new IllegalArgumentException("set at least one of warnAbove, failAbove, warnBelow, failBelow");
            }
            return new ThresholdCheck(this);
        }
    }
}
