/** Test fixtures shared by every module's tests: black-holing TCP proxy, log capture, mutable clock, embedded Redis. */
package io.vigil.health.test;
