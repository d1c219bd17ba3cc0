/**
 * The Spring Boot 4 starter: {@link io.vigil.health.spring.VigilHealthAutoConfiguration} (registry, check beans,
 * the servlet on the application's server, metrics, the {@code HealthIndicator} bridge, the lifecycle, the
 * migration lock), its settings {@link io.vigil.health.spring.VigilHealthProperties} ({@code vigil.health.*}) and
 * the {@link io.vigil.health.spring.EarlyHealthServer} on {@code vigil.health.port}. Everything else here is
 * package-private.
 */
@NullMarked
package io.vigil.health.spring;

import org.jspecify.annotations.NullMarked;
