/**
 * Process and application signals as checks: memory after GC, GC overhead, threads, file descriptors, container
 * (cgroup) limits, disk space, and thresholds over Micrometer meters (Micrometer optional: only {@code MeterCheck}
 * needs it).
 */
// micrometer-core is an automatic module with a stable Automatic-Module-Name (micrometer.core); MeterCheck's builders
// take its MeterRegistry, so a user who reads this module reads it too (when the application resolves it)
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.signals {
    requires transitive io.vigil.health;
    requires java.management;
    // com.sun.management.UnixOperatingSystemMXBean: the open file descriptor count
    requires jdk.management;
    requires static transitive micrometer.core;

    exports io.vigil.health.signals;
}
