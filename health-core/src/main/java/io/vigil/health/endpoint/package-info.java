/**
 * The transport-neutral HTTP request handler ({@link io.vigil.health.endpoint.HealthHandler}) and the JDK
 * {@code HttpServer} adapter ({@link io.vigil.health.endpoint.JdkHealthServer}).
 */
package io.vigil.health.endpoint;
