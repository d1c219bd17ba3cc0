/**
 * The transport compatibility kit: {@code HttpContractSuite}, the HTTP contract every mount of the handler passes, and
 * {@code SettingsContract}, the settings every entry point applies. Both are JUnit 5 test classes to extend.
 */
// awaitility (4.3) declares no module name: "awaitility" is derived from its jar's file name; a test library needs it
// at run time, so it is required (not `static`), but not `transitive`: no Awaitility type is in the API
@SuppressWarnings("requires-automatic")
module io.vigil.health.tck {
    requires transitive io.vigil.health;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;
    requires org.assertj.core;
    requires com.fasterxml.jackson.databind;
    requires awaitility;
    requires transitive java.net.http;
    requires java.management;
    // com.sun.management.UnixOperatingSystemMXBean: Abuse counts the server's open file descriptors
    requires jdk.management;

    exports io.vigil.health.tck;
    // JUnit runs the suites' package-private test methods and fields reflectively
    opens io.vigil.health.tck to
            org.junit.platform.commons;
}
