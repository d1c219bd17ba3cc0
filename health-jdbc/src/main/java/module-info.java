/** Database checks: {@code DataSourceCheck}, pool saturation (HikariCP optional), {@code QueryThresholdCheck}. */
module io.vigil.health.jdbc {
    requires transitive io.vigil.health;
    requires transitive java.sql;
    requires org.slf4j;
    requires static com.zaxxer.hikari;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.jdbc;
}
