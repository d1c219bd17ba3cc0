package io.vigil.health.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/** Reads HikariCP's own counters. Loaded only when HikariCP is on the class path. */
final class HikariPoolView implements PoolView {
    private final HikariDataSource pool;
    private final AtomicBoolean warned = new AtomicBoolean();

    private HikariPoolView(HikariDataSource pool) {
        this.pool = pool;
    }

    static @Nullable PoolView find(DataSource dataSource) {
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
    public @Nullable PoolStats stats() {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) {
            return null; // lazily started pool: the first getConnection starts it
        }
        return new PoolStats(
                mx.getActiveConnections(),
                mx.getIdleConnections(),
                mx.getTotalConnections(),
                mx.getThreadsAwaitingConnection(),
                pool.getMaximumPoolSize());
    }

    /** HikariCP's own wait ({@code connectionTimeout}, 30 s by default) is cut to the check's budget. */
    @Override
    public Connection borrow(Duration timeout) throws SQLException {
        if (pool.getHikariPoolMXBean() instanceof HikariPool started && !pool.isClosed()) {
            return started.getConnection(Math.max(1, Math.min(timeout.toMillis(), pool.getConnectionTimeout())));
        }
        return pool.getConnection(); // starts a lazily started pool; closed: throws
    }

    @Override
    public Duration validationTimeout() {
        return Duration.ofMillis(pool.getValidationTimeout());
    }

    @Override
    public void warnIfSlowerThan(Class<?> check, Duration budget) {
        Duration v = validationTimeout();
        if (v.compareTo(budget) > 0 && warned.compareAndSet(false, true)) {
            LoggerFactory.getLogger(check)
                    .atWarn()
                    .addKeyValue("validationTimeoutMs", v.toMillis())
                    .addKeyValue("budgetMs", budget.toMillis())
                    .log("pool validationTimeout exceeds the check's time budget: a borrow that re-validates an"
                            + " idle connection can hold the check and one connection that long; set"
                            + " validationTimeout to the registration timeout or less");
        }
    }
}
