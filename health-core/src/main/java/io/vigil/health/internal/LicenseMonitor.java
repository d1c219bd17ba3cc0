package io.vigil.health.internal;

import io.vigil.health.LicenseState;
import io.vigil.health.Secrets;
import io.vigil.health.spi.LicenseCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/** Calls the license check at most once per TTL and reports state changes. */
final class LicenseMonitor {
    private final LicenseCheck check;
    private final Clock clock;
    private final long ttlMillis;
    private final Listeners listeners;
    private volatile LicenseState state;
    private volatile long checkedAt;

    LicenseMonitor(LicenseCheck check, Clock clock, Duration ttl, Listeners listeners) {
        this.check = check;
        this.clock = clock;
        this.ttlMillis = ttl.toMillis();
        this.listeners = listeners;
    }

    LicenseState current() {
        if (check == null) {
            return null;
        }
        long now = clock.millis();
        LicenseState s = state;
        if (s != null && now - checkedAt < ttlMillis) {
            return s;
        }
        synchronized (this) {
            s = state;
            if (s != null && now - checkedAt < ttlMillis) {
                return s;
            }
            LicenseState next;
            try {
                next = Objects.requireNonNull(check.check(), "license check returned null");
            } catch (Exception | LinkageError e) {
                next = LicenseState.invalid(Secrets.describe(e));
            }
            state = next;
            checkedAt = now;
            if (s == null || s.status() != next.status()) {
                LicenseState from = s;
                LicenseState to = next;
                listeners.fire(l -> l.onLicenseTransition(from, to));
            }
            return next;
        }
    }
}
