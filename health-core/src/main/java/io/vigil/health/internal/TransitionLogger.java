package io.vigil.health.internal;

import io.vigil.health.BreakerState;
import io.vigil.health.CheckEntry;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Status;
import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs transitions, never requests: WARN when things get worse, INFO when they get better. Key/values go
 * through the SLF4J 2 fluent API so JSON encoders pick them up. Logger name {@code io.vigil.health}.
 */
public final class TransitionLogger implements HealthListener {
    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.health");

    @Override
    public void onCheckTransition(@Nullable Status from, CheckEntry now) {
        if (from == null && now.status() == Status.UP) {
            return; // a first UP is not news
        }
        boolean worse = from == null || now.status().compareTo(from) > 0;
        LOG.atLevel(worse ? Level.WARN : Level.INFO)
                .addKeyValue("check", now.name())
                .addKeyValue("from", from == null ? "UNKNOWN" : from.name())
                .addKeyValue("to", now.status().name())
                .addKeyValue("reason", now.cause().name())
                .addKeyValue("durationMs", now.duration().toMillis())
                .log(
                        "health check {} {} -> {}: {}",
                        now.name(),
                        from == null ? "UNKNOWN" : from,
                        now.status(),
                        now.message());
    }

    @Override
    public void onBreakerTransition(String check, BreakerState from, BreakerState to) {
        LOG.atLevel(to == BreakerState.OPEN ? Level.WARN : Level.INFO)
                .addKeyValue("check", check)
                .addKeyValue("from", from.name())
                .addKeyValue("to", to.name())
                .log("circuit breaker of health check {} {} -> {}", check, from, to);
    }

    @Override
    public void onOutcomeTransition(@Nullable Outcome from, HealthReport report) {
        Outcome to = report.outcome();
        if (from == null && to == Outcome.UP) {
            return;
        }
        boolean worse = from == null || to.compareTo(from) < 0;
        LOG.atLevel(worse ? Level.WARN : Level.INFO)
                .addKeyValue("probe", report.scope().label())
                .addKeyValue("from", from == null ? "UNKNOWN" : from.name())
                .addKeyValue("to", to.name())
                .log("health probe {} {} -> {}", report.scope().label(), from == null ? "UNKNOWN" : from, to);
    }

    @Override
    public void onLockAcquired(LockInfo lock) {
        var event = LOG.atInfo().addKeyValue("lock", lock.name());
        if (lock.maxDuration() != null) {
            event = event.addKeyValue("maxDurationMs", lock.maxDuration().toMillis());
        }
        event.log("health lock {} taken: {}", lock.name(), lock.description());
    }

    @Override
    public void onLockReleased(LockInfo lock, Duration held, boolean expired) {
        LOG.atLevel(expired ? Level.WARN : Level.INFO)
                .addKeyValue("lock", lock.name())
                .addKeyValue("durationMs", held.toMillis())
                .addKeyValue("expired", expired)
                .log(
                        expired
                                ? "health lock {} expired after {} ms and was released; the task may have died"
                                : "health lock {} released after {} ms",
                        lock.name(),
                        held.toMillis());
    }

    @Override
    public void onLicenseTransition(@Nullable LicenseState from, LicenseState to) {
        if (from == null && to.validity() == io.vigil.health.LicenseValidity.VALID) {
            return;
        }
        boolean worse = from == null || to.validity().compareTo(from.validity()) > 0;
        LOG.atLevel(worse ? Level.WARN : Level.INFO)
                .addKeyValue("from", from == null ? "UNKNOWN" : from.validity().name())
                .addKeyValue("to", to.validity().name())
                .addKeyValue(
                        "expires",
                        to.expires() == null ? "unknown" : to.expires().toString())
                .log("license {} -> {}", from == null ? "UNKNOWN" : from.validity(), to.validity());
    }
}
