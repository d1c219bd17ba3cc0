/** Database checks: {@code DataSourceCheck}, pool saturation (HikariCP optional), {@code QueryThresholdCheck}. */
module io.vigil.health.jdbc {
    requires transitive io.vigil.health;
    requires transitive java.sql;
    requires org.slf4j;
    requires static com.zaxxer.hikari;
    requires static org.jspecify;

    exports io.vigil.health.jdbc;
}
