/**
 * Vigil Health API: {@link io.vigil.health.HealthRegistry} (register checks, take locks, evaluate probes),
 * {@link io.vigil.health.HealthCheck} and its {@link io.vigil.health.CheckResult}, the
 * {@link io.vigil.health.CheckPolicy} of a registration, and the immutable {@link io.vigil.health.HealthReport}.
 */
@NullMarked
package io.vigil.health;

import org.jspecify.annotations.NullMarked;
