package io.vigil.health.example;

import io.vigil.health.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What tests may replace in the running service: the clocks of the health registry and how the simulated start-up
 * migration spends its time.
 *
 * @param clock          wall clock of the health registry (times shown), the license check and the license metric
 * @param ticker         monotonic time of the health registry (TTLs, lock expiry, license cache)
 * @param migrationPause called inside the migration lock with {@code VIGIL_MIGRATION_SECONDS}
 */
record Hooks(Clock clock, Ticker ticker, Pause migrationPause) {
    /** Validates. */
    Hooks {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(migrationPause, "migrationPause");
    }

    /** @return the system clock and a real sleep */
    static Hooks production() {
        return new Hooks(Clock.systemUTC(), Ticker.system(), Pause.SLEEP);
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
