/**
 * Extension points: license checks, check discovery through {@link java.util.ServiceLoader}, and engine event
 * listeners (metrics, logs, audit).
 */
@NullMarked
package io.vigil.health.spi;

import org.jspecify.annotations.NullMarked;
