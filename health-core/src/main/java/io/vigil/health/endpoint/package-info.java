/**
 * The transport-neutral HTTP request handler ({@link io.vigil.health.endpoint.HealthHandler}) and an HTTP/1.1
 * server that needs nothing but the JDK ({@link io.vigil.health.endpoint.JdkHealthServer}).
 */
package io.vigil.health.endpoint;
