/** The health endpoints over HTTP/1.1 with nothing but the JDK ({@code JdkHealthServer}). */
module io.vigil.health.server {
    requires transitive io.vigil.health;
    requires org.slf4j;
    requires static org.jspecify;

    exports io.vigil.health.server;
}
