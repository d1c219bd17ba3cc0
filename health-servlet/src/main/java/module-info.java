/** The health endpoints in any Jakarta Servlet 6 container ({@code HealthServlet}, {@code HealthServletInitializer}). */
module io.vigil.health.servlet {
    requires transitive io.vigil.health;
    requires transitive jakarta.servlet;
    requires org.slf4j;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.servlet;

    provides jakarta.servlet.ServletContainerInitializer with
            io.vigil.health.servlet.HealthServletInitializer;
}
