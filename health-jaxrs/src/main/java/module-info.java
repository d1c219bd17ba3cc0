/** The health endpoints as a Jakarta REST 3.1 resource ({@code HealthResource}, {@code HealthApplication}). */
module io.vigil.health.jaxrs {
    requires transitive io.vigil.health;
    requires transitive jakarta.ws.rs;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.jaxrs;
}
