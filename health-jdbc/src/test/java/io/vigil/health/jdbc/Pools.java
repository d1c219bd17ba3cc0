package io.vigil.health.jdbc;

import com.zaxxer.hikari.HikariConfig;
import io.vigil.health.test.EmbeddedPostgresServer;

/** HikariCP settings for the tests' pools against {@link EmbeddedPostgresServer}. */
final class Pools {
    private Pools() {}

    /**
     * @param viaPort port to connect to (the server's or a proxy's)
     * @param max     maximum pool size
     * @return a HikariCP configuration for the {@code app} role whose borrows give up after 1 s
     */
    static HikariConfig poolConfig(int viaPort, int max) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:postgresql://localhost:" + viaPort + "/postgres");
        c.setUsername(EmbeddedPostgresServer.APP_USER);
        c.setPassword(EmbeddedPostgresServer.APP_PASSWORD);
        c.setMaximumPoolSize(max);
        c.setMinimumIdle(1);
        c.setConnectionTimeout(1000); // a borrow gives up within the probe's timeout
        c.setValidationTimeout(500);
        c.setInitializationFailTimeout(-1);
        return c;
    }
}
