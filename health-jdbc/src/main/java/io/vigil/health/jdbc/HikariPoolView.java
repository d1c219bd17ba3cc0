package io.vigil.health.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Reads HikariCP's own counters. Loaded only when HikariCP is on the class path. */
final class HikariPoolView implements PoolView {
    private final HikariDataSource pool;

    private HikariPoolView(HikariDataSource pool) {
        this.pool = pool;
    }

    static PoolView find(DataSource dataSource) {
        if (dataSource instanceof HikariDataSource h) {
            return new HikariPoolView(h);
        }
        try {
            if (dataSource.isWrapperFor(HikariDataSource.class)) {
                return new HikariPoolView(dataSource.unwrap(HikariDataSource.class));
            }
        } catch (SQLException | RuntimeException e) {
            // a wrapper that cannot say what it wraps is treated as no pool
        }
        return null;
    }

    @Override
    public PoolStats stats() {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) {
            return null; // lazily started pool: the first getConnection starts it
        }
        return new PoolStats(mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
                mx.getThreadsAwaitingConnection(), pool.getMaximumPoolSize());
    }
}
