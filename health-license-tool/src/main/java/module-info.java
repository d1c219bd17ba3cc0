/** The license-issuing command line: key pairs and signed license files ({@code LicenseTool}, the jar's main class). */
module io.vigil.health.license.tool {
    requires io.vigil.health;

    exports io.vigil.health.license.tool;
}
