/** Test fixtures shared by every module's tests: black-holing TCP proxy, log capture, mutable clock, embedded Redis. */
@NullMarked
package io.vigil.health.test;

import org.jspecify.annotations.NullMarked;
