package io.vigil.health.spi;

import io.vigil.health.BreakerState;
import io.vigil.health.CheckEntry;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Status;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Receives engine events: for metrics, logs and audit. Each listener is called on a delivery thread of its own,
 * one event at a time, in the order the events happened, shortly after them — never on a probe's or a check's
 * thread, so a slow or blocking listener delays only its own events. Its queue is bounded (see
 * {@code HealthRegistry.Builder.eventQueueCapacity}): a listener that falls too far behind loses its oldest events.
 * Anything a listener throws, {@code Error}s included, is caught and counted ({@code HealthRegistry.engineStats()}).
 * Only the methods a listener overrides are called; every method has an empty default.
 */
public interface HealthListener {
    /**
     * A check was actually evaluated (not served from cache).
     *
     * @param entry the new entry
     */
    default void onCheckEvaluated(CheckEntry entry) {}

    /**
     * A check's reported status changed.
     *
     * @param from previous status, {@code null} on the first result
     * @param now  the new entry
     */
    default void onCheckTransition(@Nullable Status from, CheckEntry now) {}

    /**
     * A check's circuit breaker changed state.
     *
     * @param check check name
     * @param from  previous state
     * @param to    new state
     */
    default void onBreakerTransition(String check, BreakerState from, BreakerState to) {}

    /**
     * A probe (or the base path, or a group) was answered; called on every evaluation, so keep it cheap.
     *
     * @param report the report
     * @param took   how long the evaluation took, cached checks included
     */
    default void onProbeEvaluated(HealthReport report, Duration took) {}

    /**
     * A probe's outcome differs from its previous evaluation.
     *
     * @param from   previous outcome, {@code null} on the first evaluation
     * @param report the new report
     */
    default void onOutcomeTransition(@Nullable Outcome from, HealthReport report) {}

    /**
     * A lock was taken.
     *
     * @param lock the lock
     */
    default void onLockAcquired(LockInfo lock) {}

    /**
     * A lock was released.
     *
     * @param lock    the lock
     * @param held    how long it was held
     * @param expired whether it was released because its maximum duration passed
     */
    default void onLockReleased(LockInfo lock, Duration held, boolean expired) {}

    /**
     * The license state changed.
     *
     * @param from previous state, {@code null} on the first check
     * @param to   new state
     */
    default void onLicenseTransition(@Nullable LicenseState from, LicenseState to) {}

    /**
     * The application was marked started, by {@link io.vigil.health.HealthRegistry#markStarted()} or by passing
     * startup checks: readiness and startup stop answering "not started". Delivered once.
     */
    default void onStarted() {}

    /**
     * The application began draining for shutdown ({@link io.vigil.health.HealthRegistry#startDraining()}):
     * readiness, the base path and groups answer DOWN from now on. Delivered once.
     */
    default void onDrainingStarted() {}
}
