/**
 * Argument checks shared by core and Vigil's own modules. Not API: may change in any release. The module descriptor
 * exports this package, and only this one of core's internals, to Vigil's own modules; the engine
 * ({@code io.vigil.health.internal}) is exported to no one.
 */
@NullMarked
package io.vigil.health.internal.util;

import org.jspecify.annotations.NullMarked;
