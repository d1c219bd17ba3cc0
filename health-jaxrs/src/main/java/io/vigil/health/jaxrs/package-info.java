/**
 * Serves the health endpoints in Jakarta REST 3.1 applications (Jersey, RESTEasy):
 * {@link io.vigil.health.jaxrs.HealthResource} and the dedicated {@link io.vigil.health.jaxrs.HealthApplication}.
 */
@NullMarked
package io.vigil.health.jaxrs;

import org.jspecify.annotations.NullMarked;
