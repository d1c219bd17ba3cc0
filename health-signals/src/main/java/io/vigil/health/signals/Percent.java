package io.vigil.health.signals;

/** Validation of the settings the builders of this package share: percentages and windows. */
final class Percent {
    private Percent() {}

    static double check(double percent, String name) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException(name + " must be in [0, 100]: " + percent);
        }
        return percent;
    }

    static java.time.Duration positive(java.time.Duration value, String name) {
        if (java.util.Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
