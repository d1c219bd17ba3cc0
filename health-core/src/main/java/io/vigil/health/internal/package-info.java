/**
 * The engine: runners (single-flight, timeout, cache, thresholds, breaker), locks, license monitor, verdicts and
 * transition logging. Not API: may change in any release.
 */
@NullMarked
package io.vigil.health.internal;

import org.jspecify.annotations.NullMarked;
