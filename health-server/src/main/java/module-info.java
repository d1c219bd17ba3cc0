/** The health endpoints over HTTP/1.1 with nothing but the JDK ({@code JdkHealthServer}). */
module io.vigil.health.server {
    requires transitive io.vigil.health;
    requires org.slf4j;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.server;
}
