package io.vigil.health.jdbc;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a {@link DataSource} hands out a working connection.
 *
 * <p>Each call borrows one connection, bounds all its network I/O with
 * {@link Connection#setNetworkTimeout(java.util.concurrent.Executor, int)} (where the driver supports it) to the
 * time the engine gives it ({@link CheckContext#ioTimeout()}: the registration's timeout less a reserve for
 * reporting, at most the optional {@link Builder#timeout(Duration) cap}), validates it with {@link Connection#isValid(int)} or with a
 * validation query, reads the product name and version, and closes the connection again, restoring its network
 * timeout. The statement timeout is one second longer than the network timeout, so it never fires first: a
 * driver's cancel request to a dead server (pgjdbc waits up to {@code cancelSignalTimeout}, 10 s by default) is
 * never sent; an overrunning statement ends by the network timeout, which breaks that connection, and the pool
 * replaces it. Without network timeouts the statement timeout (whole seconds) is the only bound.
 *
 * <p>How long a call holds a connection, at most: from a HikariCP pool, the wait for one (the timeout, or
 * {@code connectionTimeout} if shorter), plus HikariCP's {@code validationTimeout} (default 5 s) for each dead
 * idle connection it re-validates before lending one (set it to the registration timeout or less; a warning is
 * logged once when it is longer), plus the rest of the budget for the validation. From another data source, opening a connection is bounded by
 * the driver (pgjdbc {@code loginTimeout}, {@code connectTimeout}, {@code socketTimeout}), then the timeout. The
 * engine answers the probe at the registration's timeout in any case.
 *
 * <p>When the data source is (or wraps) a HikariCP pool, the pool's counters are reported and the result is
 * DEGRADED when fewer than {@link Builder#minAvailable(double) minAvailable} of the maximum pool size are
 * available. The check never competes with the application: when nothing is free (idle connections plus room to
 * grow), or the application's waiting threads would take every free connection, it reports DEGRADED with the
 * pool's state without borrowing.
 *
 * <p>Data keys: {@code database}, {@code databaseVersion}, {@code validationMs}, {@code validation}
 * ({@code isValid} or {@code query}); with a pool {@code pool.active}, {@code pool.idle}, {@code pool.total},
 * {@code pool.waiting}, {@code pool.max}; on failure {@code failure} ({@code timeout}, {@code connection},
 * {@code authentication} or {@code sql}), {@code sqlState}, {@code vendorCode}. Messages never contain
 * credentials. Kind: {@link CheckKind#DATASTORE}. Immutable and thread-safe.
 *
 * <pre>{@code
 * health.register("db", DataSourceCheck.of(dataSource));
 * health.register("db", DataSourceCheck.builder(dataSource).validationQuery("SELECT 1").build());
 * }</pre>
 */
public final class DataSourceCheck implements HealthCheck {
    private final DataSource dataSource;
    private final @Nullable String validationQuery;
    private final @Nullable Duration cap; // null: the registration's timeout alone bounds the check
    private final double minAvailable;
    private final @Nullable PoolView pool;

    private DataSourceCheck(Builder b) {
        this.dataSource = b.dataSource;
        this.validationQuery = b.validationQuery;
        this.cap = b.timeout;
        this.minAvailable = b.minAvailable;
        this.pool = PoolView.find(b.dataSource);
    }

    /**
     * @param dataSource the data source to check
     * @return a check with the defaults: {@code isValid}, bounded by the registration's timeout, DEGRADED below
     *         10 % available pool
     */
    public static DataSourceCheck of(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * @param dataSource the data source to check
     * @return a builder starting from the defaults
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DATASTORE;
    }

    /** Called directly (not by an engine): its I/O bounded by the {@link Builder#timeout(Duration) cap}, or 1 s. */
    @Override
    public CheckResult check() {
        return check(Jdbc.direct(cap));
    }

    @Override
    public CheckResult check(CheckContext context) {
        Map<String, Object> data = new LinkedHashMap<>();
        PoolStats stats = pool == null ? null : pool.stats();
        if (stats != null) {
            data.putAll(stats.data());
            CheckResult busy = stats.refusal("not borrowing a connection to validate", data);
            if (busy != null) {
                return busy;
            }
        }
        long start = System.nanoTime();
        try (Connection c = Jdbc.borrow(dataSource, pool, context, cap, getClass())) {
            Duration io = Jdbc.io(context, cap); // what is left after the borrow
            int previous = Jdbc.boundNetwork(c, io);
            try {
                validate(c, data, previous, io);
                data.put("validationMs", (System.nanoTime() - start) / 1_000_000);
                DatabaseMetaData meta = c.getMetaData();
                data.put("database", meta.getDatabaseProductName());
                data.put("databaseVersion", meta.getDatabaseProductVersion());
            } finally {
                Jdbc.restoreNetwork(c, previous);
            }
        } catch (SQLException | RuntimeException e) {
            data.put("validationMs", (System.nanoTime() - start) / 1_000_000);
            return Jdbc.failure(e, data);
        }
        if (stats != null && stats.saturated(minAvailable)) {
            return CheckResult.of(Status.DEGRADED, "connection pool nearly exhausted (" + stats.describe() + ")")
                    .withData(data);
        }
        return CheckResult.of(Status.UP, "").withData(data);
    }

    private void validate(Connection c, Map<String, Object> data, int previousNetwork, Duration timeout)
            throws SQLException {
        int seconds = Jdbc.seconds(timeout);
        if (validationQuery == null) {
            data.put("validation", "isValid");
            if (!c.isValid(seconds)) {
                throw new SQLException("connection is not valid (isValid(" + seconds + ") returned false)", "08006");
            }
            return;
        }
        data.put("validation", "query");
        try (Statement s = c.createStatement()) {
            s.setQueryTimeout(Jdbc.querySeconds(timeout, previousNetwork));
            s.setMaxRows(1);
            if (s.execute(validationQuery)) {
                try (ResultSet rs = s.getResultSet()) {
                    rs.next();
                }
            }
        }
    }

    /** Builds a {@link DataSourceCheck}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private @Nullable String validationQuery;
        private @Nullable Duration timeout;
        private double minAvailable = 0.10;

        Builder(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /**
         * Validates with a query (e.g. {@code SELECT 1}) instead of {@link Connection#isValid(int)}. Its
         * result is read and discarded.
         *
         * @param sql the query
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder validationQuery(String sql) {
            Require.notBlank(sql, "validation query");
            validationQuery = sql;
            return this;
        }

        /**
         * An upper bound on the check's own I/O; without it (the default) the registration's
         * {@link io.vigil.health.CheckPolicy#timeout() timeout} alone decides. The check gives the wait for a
         * pooled connection (HikariCP) and the network timeout the time left less a reserve for reporting, so its
         * own diagnosis (SQLState) arrives before the engine's generic timeout; {@code isValid} takes whole seconds
         * (JDBC's unit, rounded up) and the statement timeout is one second longer, so the network timeout ends an
         * overrun.
         *
         * @param value positive duration
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration value) {
            timeout = Require.positive(value, "timeout");
            return this;
        }

        /**
         * Fraction of the pool's maximum size that should be available (not lent out); below it the check is
         * DEGRADED. Default {@code 0.10}; {@code 0} reports only an exhausted pool. Applies to HikariCP pools.
         *
         * @param fraction between 0 and 1
         * @return this builder
         * @throws IllegalArgumentException outside [0, 1]
         */
        public Builder minAvailable(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("minAvailable must be between 0 and 1");
            }
            minAvailable = fraction;
            return this;
        }

        /** @return the check */
        public DataSourceCheck build() {
            return new DataSourceCheck(this);
        }
    }
}
