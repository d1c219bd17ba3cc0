/** Test fixtures shared by every module's tests: black-holing TCP proxy, log capture, mutable clock. */
package io.vigil.health.test;
