/**
 * The license-issuing command line: key pairs and signed license files ({@code LicenseTool}, the jar's main class).
 *
 * <p>The published jar is the runnable one: health-core's {@code LicenseFile} (the file format) is shaded into it,
 * relocated into this module's package, and the shade plug-in drops this descriptor from it, so on a module path that
 * jar is the automatic module of the same name, exporting the same one package and needing nothing but the JDK.
 */
module io.vigil.health.license.tool {
    requires io.vigil.health;

    exports io.vigil.health.license.tool;
}
