/** Ed25519-signed license files verified with the JDK alone, and the tool that issues them. */
package io.vigil.health.license;
