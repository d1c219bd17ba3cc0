/**
 * The transport-neutral HTTP request handler ({@link io.vigil.health.endpoint.HealthHandler}): routes, content
 * negotiation, the status policy and the response rules, once for every transport. Transports (the JDK server of
 * {@code health-server}, the servlet, the JAX-RS resource, Spring Boot) only translate requests and responses.
 */
@NullMarked
package io.vigil.health.endpoint;

import org.jspecify.annotations.NullMarked;
