/**
 * The health endpoints over HTTP/1.1 with nothing but the JDK ({@link io.vigil.health.server.JdkHealthServer}): a
 * small non-blocking server around health-core's transport-neutral {@link io.vigil.health.endpoint.HealthHandler},
 * for services without a web framework and for management ports.
 */
@NullMarked
package io.vigil.health.server;

import org.jspecify.annotations.NullMarked;
