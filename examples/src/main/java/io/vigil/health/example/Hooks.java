package io.vigil.health.example;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What tests may replace in the running service: the clock of the health registry (TTLs, locks, license expiry) and
 * how the simulated start-up migration spends its time.
 *
 * @param clock          time source of the health registry, the license check and the license metric
 * @param migrationPause called inside the migration lock with {@code VIGIL_MIGRATION_SECONDS}
 */
record Hooks(Clock clock, Pause migrationPause) {
    /** Validates. */
    Hooks {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(migrationPause, "migrationPause");
    }

    /** @return the system clock and a real sleep */
    static Hooks production() {
        return new Hooks(Clock.systemUTC(), Pause.SLEEP);
    }

    /** Spends simulated work time. */
    @FunctionalInterface
    interface Pause {
        /** Sleeps for the duration. */
        Pause SLEEP = d -> {
            if (!d.isZero()) {
                Thread.sleep(d.toMillis());
            }
        };

        /**
         * @param duration how long the simulated work takes
         * @throws InterruptedException when the service shuts down meanwhile
         */
        void pause(Duration duration) throws InterruptedException;
    }
}
