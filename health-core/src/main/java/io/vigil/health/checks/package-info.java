/** Built-in checks: thread deadlocks, disk space, ping. */
@NullMarked
package io.vigil.health.checks;

import org.jspecify.annotations.NullMarked;
