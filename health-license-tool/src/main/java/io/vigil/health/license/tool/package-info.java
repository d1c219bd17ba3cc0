/**
 * The license tool ({@link io.vigil.health.license.tool.LicenseTool}): issues and verifies the signed license files
 * that {@link io.vigil.health.license.SignedLicenseFile} checks. Null-marked: nothing here is {@code null} unless
 * annotated.
 */
@NullMarked
package io.vigil.health.license.tool;

import org.jspecify.annotations.NullMarked;
