/**
 * Extension points: license checks, check discovery through {@link java.util.ServiceLoader}, and engine event
 * listeners (metrics, logs, audit).
 */
package io.vigil.health.spi;
