package io.vigil.health;

/**
 * Counters of the engine's own troubles, for metrics and alerts ({@link HealthRegistry#engineStats()}). Counts
 * are totals since the registry was built.
 *
 * @param stuckExecutions    check executions running now past their timeout (each holds one thread)
 * @param rejectedExecutions evaluations that found no thread to run a check (answered DOWN {@code REJECTED})
 * @param listenerFailures   events a {@link io.vigil.health.spi.HealthListener} threw on
 * @param droppedEvents      events dropped because a listener's queue was full (the oldest go first)
 * @param licenseGraceAnswers license checks that answered INVALID or failed while the last good license state was
 *                           kept for a short grace (a license file replaced in place, an unreadable mount)
 */
public record EngineStats(
        int stuckExecutions,
        long rejectedExecutions,
        long listenerFailures,
        long droppedEvents,
        long licenseGraceAnswers) {}
