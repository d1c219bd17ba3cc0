/** Upstream checks on the JDK alone: {@code HttpCheck}, {@code TcpCheck}, {@code TlsCertificateCheck}. */
module io.vigil.health.http {
    requires transitive io.vigil.health;
    requires transitive java.net.http; // HttpCheck takes the application's HttpClient
    requires java.naming;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.http;
}
