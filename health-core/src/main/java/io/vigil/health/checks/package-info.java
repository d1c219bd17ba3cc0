/** Built-in checks: thread deadlocks, disk space, ping. */
package io.vigil.health.checks;
