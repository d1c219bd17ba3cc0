/** Ed25519-signed license files verified with the JDK alone, and the tool that issues them. */
@NullMarked
package io.vigil.health.license;

import org.jspecify.annotations.NullMarked;
