/**
 * Micrometer metrics for Vigil Health: {@link io.vigil.health.micrometer.HealthMetrics} binds the engine's
 * view of checks, probes, locks and the license to a {@code MeterRegistry}. Needs {@code micrometer-core} on the
 * class path (an optional dependency of health-core); nothing else in health-core refers to this package.
 */
@NullMarked
package io.vigil.health.micrometer;

import org.jspecify.annotations.NullMarked;
