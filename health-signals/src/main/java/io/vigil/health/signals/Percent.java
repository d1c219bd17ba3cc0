package io.vigil.health.signals;

/** Validation of percent settings. */
final class Percent {
    private Percent() {
    }

    static double check(double percent, String name) {
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException(name + " must be in [0, 100]: " + percent);
        }
        return percent;
    }
}
