package io.vigil.health.jdbc;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Runs a query that returns one number and compares it with thresholds: queue depth, replication lag,
 * long-running-query count, connection saturation. Ready-made PostgreSQL queries are in {@link PostgresChecks}.
 *
 * <p>The first column of the first row is the value. Further columns of that row are added to the data under
 * their column labels (e.g. {@code count(*) AS replicas}). The value is compared with the fail thresholds
 * first (DOWN), then with the warn thresholds (DEGRADED); otherwise the result is UP. "Above" and "below"
 * are strict: a value equal to a threshold does not cross it. No row, or SQL {@code NULL}, gives
 * {@link Builder#whenNoValue(Status, String) the no-value result} (DOWN by default).
 *
 * <p>Bounds, pool handling and failure data as in {@link DataSourceCheck}: the borrow and the query are bounded by
 * the time the engine gives the check (the connection's network timeout; {@link Statement#setQueryTimeout(int)} one second longer, so no
 * cancel request is sent to a dead server); an exhausted or contended HikariCP pool is reported DEGRADED without
 * borrowing. A query the check gave up on may still run on the server: give the check's role a server-side limit
 * (PostgreSQL {@code statement_timeout}). Data keys: the measurement name (default {@code value}), {@code unit} when
 * set, the thresholds set ({@code warnAbove}, {@code failAbove}, {@code warnBelow}, {@code failBelow}), extra
 * columns, {@code queryMs}. Kind: {@link CheckKind#DATASTORE}. Immutable and thread-safe.
 *
 * <pre>{@code
 * health.register("job-queue", QueryThresholdCheck.builder(dataSource,
 *             "SELECT count(*) FROM jobs WHERE state = 'QUEUED'")
 *         .measurement("queuedJobs").warnAbove(1_000).failAbove(10_000).build(),
 *     CheckPolicy.builder().optional().build());
 * }</pre>
 */
public final class QueryThresholdCheck implements HealthCheck {
    private final DataSource dataSource;
    private final String sql;
    private final String measurement;
    private final @Nullable String unit;
    private final @Nullable Double warnAbove;
    private final @Nullable Double failAbove;
    private final @Nullable Double warnBelow;
    private final @Nullable Double failBelow;
    private final Status noValueStatus;
    private final String noValueMessage;
    private final @Nullable Duration cap; // null: the registration's timeout alone bounds the check
    private final @Nullable PoolView pool;

    private QueryThresholdCheck(Builder b) {
        this.dataSource = b.dataSource;
        this.sql = b.sql;
        this.measurement = b.measurement;
        this.unit = b.unit;
        this.warnAbove = b.warnAbove;
        this.failAbove = b.failAbove;
        this.warnBelow = b.warnBelow;
        this.failBelow = b.failBelow;
        this.noValueStatus = b.noValueStatus;
        this.noValueMessage = b.noValueMessage;
        this.cap = b.timeout;
        this.pool = PoolView.find(b.dataSource);
    }

    /**
     * @param dataSource where to run the query
     * @param sql        a query whose first column of the first row is a number
     * @return a builder with no thresholds, measurement {@code value}, bounded by the registration's timeout, no
     *         value = DOWN
     */
    public static Builder builder(DataSource dataSource, String sql) {
        Objects.requireNonNull(dataSource, "dataSource");
        Require.notBlank(sql, "sql");
        return new Builder(dataSource, sql);
    }

    /** @return the query this check runs */
    public String sql() {
        return sql;
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
            CheckResult busy = stats.refusal("query not run", stats.data());
            if (busy != null) {
                return busy;
            }
        }
        long start = System.nanoTime();
        Number value;
        try (Connection c = Jdbc.borrow(dataSource, pool, context, cap, getClass())) {
            Duration io = Jdbc.io(context, cap); // what is left after the borrow
            int previous = Jdbc.boundNetwork(c, io);
            try (Statement s = c.createStatement()) {
                s.setQueryTimeout(Jdbc.querySeconds(io, previous));
                s.setMaxRows(1);
                try (ResultSet rs = s.executeQuery(sql)) {
                    value = rs.next() ? read(rs, data) : null;
                }
            } finally {
                Jdbc.restoreNetwork(c, previous);
            }
        } catch (SQLException | RuntimeException e) {
            data.put("queryMs", (System.nanoTime() - start) / 1_000_000);
            return Jdbc.failure(e, data);
        }
        data.put("queryMs", (System.nanoTime() - start) / 1_000_000);
        return judge(value, data);
    }

    /** Reads the value and puts it, then the extra columns, first in the data. */
    private @Nullable Number read(ResultSet rs, Map<String, Object> extras) throws SQLException {
        Object raw = rs.getObject(1);
        Number value = raw == null ? null : toNumber(raw);
        ResultSetMetaData meta = rs.getMetaData();
        for (int i = 2; i <= meta.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            extras.put(meta.getColumnLabel(i), v instanceof Number n ? compact(n) : v);
        }
        return value;
    }

    private static Number toNumber(Object raw) throws SQLException {
        if (raw instanceof Number n) {
            return compact(n);
        }
        if (raw instanceof Boolean b) {
            return b ? 1 : 0;
        }
        try {
            return compact(new BigDecimal(raw.toString().trim()));
        } catch (NumberFormatException e) {
            throw new SQLException("query returned a " + raw.getClass().getSimpleName() + ", not a number");
        }
    }

    /** Whole numbers as {@code long}, the rest as {@code double}, so data renders as {@code 3} not {@code 3.000}. */
    private static Number compact(Number n) {
        if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return n.longValue();
        }
        double d = n.doubleValue();
        if (n instanceof BigDecimal bd) {
            try {
                return bd.longValueExact();
            } catch (ArithmeticException notWhole) {
                return d;
            }
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? (Number) (long) d : (Number) d;
    }

    private CheckResult judge(@Nullable Number value, Map<String, Object> extras) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (value != null) {
            data.put(measurement, value);
        }
        if (unit != null) {
            data.put("unit", unit);
        }
        putIfSet(data, "warnAbove", warnAbove);
        putIfSet(data, "failAbove", failAbove);
        putIfSet(data, "warnBelow", warnBelow);
        putIfSet(data, "failBelow", failBelow);
        data.putAll(extras);
        if (value == null) {
            return CheckResult.of(noValueStatus, noValueMessage).withData(data);
        }
        double v = value.doubleValue();
        if (failAbove != null && v > failAbove) {
            return CheckResult.of(Status.DOWN, describe(value) + " is above the failure threshold " + amount(failAbove))
                    .withData(data);
        }
        if (failBelow != null && v < failBelow) {
            return CheckResult.of(Status.DOWN, describe(value) + " is below the failure threshold " + amount(failBelow))
                    .withData(data);
        }
        if (warnAbove != null && v > warnAbove) {
            return CheckResult.of(
                            Status.DEGRADED, describe(value) + " is above the warning threshold " + amount(warnAbove))
                    .withData(data);
        }
        if (warnBelow != null && v < warnBelow) {
            return CheckResult.of(
                            Status.DEGRADED, describe(value) + " is below the warning threshold " + amount(warnBelow))
                    .withData(data);
        }
        return CheckResult.of(Status.UP, describe(value)).withData(data);
    }

    private static void putIfSet(Map<String, Object> data, String key, @Nullable Double threshold) {
        if (threshold != null) {
            data.put(key, compact(threshold));
        }
    }

    private String describe(Number value) {
        return measurement + " " + amount(value);
    }

    private String amount(Number n) {
        Number c = compact(n);
        String text = c instanceof Double d
                ? String.format(java.util.Locale.ROOT, "%.3f", d)
                        .replaceAll("0+$", "")
                        .replaceAll("\\.$", "")
                : c.toString();
        return unit == null ? text : text + " " + unit;
    }

    /** Builds a {@link QueryThresholdCheck}. Not thread-safe. */
    public static final class Builder {
        private final DataSource dataSource;
        private final String sql;
        private String measurement = "value";
        private @Nullable String unit;
        private @Nullable Double warnAbove;
        private @Nullable Double failAbove;
        private @Nullable Double warnBelow;
        private @Nullable Double failBelow;
        private Status noValueStatus = Status.DOWN;
        private String noValueMessage = "query returned no value";
        private @Nullable Duration timeout;

        Builder(DataSource dataSource, String sql) {
            this.dataSource = dataSource;
            this.sql = sql;
        }

        /**
         * @param name data key of the value and the word used in messages, e.g. {@code replicationLagSeconds};
         *             default {@code value}
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder measurement(String name) {
            Require.notBlank(name, "measurement");
            measurement = name;
            return this;
        }

        /**
         * @param value unit shown after numbers in messages and as data {@code unit}, e.g. {@code s},
         *              {@code bytes}, {@code %}; default none
         * @return this builder
         */
        public Builder unit(String value) {
            unit = value == null || value.isBlank() ? null : value;
            return this;
        }

        /**
         * @param threshold DEGRADED when the value is greater
         * @return this builder
         * @throws IllegalArgumentException if not finite
         */
        public Builder warnAbove(double threshold) {
            warnAbove = finite(threshold);
            return this;
        }

        /**
         * @param threshold DOWN when the value is greater
         * @return this builder
         * @throws IllegalArgumentException if not finite
         */
        public Builder failAbove(double threshold) {
            failAbove = finite(threshold);
            return this;
        }

        /**
         * @param threshold DEGRADED when the value is smaller
         * @return this builder
         * @throws IllegalArgumentException if not finite
         */
        public Builder warnBelow(double threshold) {
            warnBelow = finite(threshold);
            return this;
        }

        /**
         * @param threshold DOWN when the value is smaller
         * @return this builder
         * @throws IllegalArgumentException if not finite
         */
        public Builder failBelow(double threshold) {
            failBelow = finite(threshold);
            return this;
        }

        /** @return this builder without any threshold (the value is reported, the result is UP) */
        public Builder noThresholds() {
            warnAbove = null;
            failAbove = null;
            warnBelow = null;
            failBelow = null;
            return this;
        }

        /**
         * What to report when the query returns no row or SQL {@code NULL}. Default DOWN, "query returned no
         * value".
         *
         * @param status  the status
         * @param message the message
         * @return this builder
         */
        public Builder whenNoValue(Status status, String message) {
            noValueStatus = Objects.requireNonNull(status, "status");
            noValueMessage = Objects.requireNonNull(message, "message");
            return this;
        }

        /**
         * @param value upper bound of the borrow (HikariCP) and of every network read of the query; without it
         *              (the default) the registration's timeout less a reserve for reporting; the statement
         *              timeout is one second longer (whole seconds)
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration value) {
            timeout = Require.positive(value, "timeout");
            return this;
        }

        /**
         * @return the check
         * @throws IllegalStateException when a warning threshold lies beyond its failure threshold
         */
        public QueryThresholdCheck build() {
            if (warnAbove != null && failAbove != null && warnAbove > failAbove) {
                throw new IllegalStateException("warnAbove " + warnAbove + " exceeds failAbove " + failAbove);
            }
            if (warnBelow != null && failBelow != null && warnBelow < failBelow) {
                throw new IllegalStateException("warnBelow " + warnBelow + " is under failBelow " + failBelow);
            }
            return new QueryThresholdCheck(this);
        }

        private static double finite(double v) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("threshold must be finite: " + v);
            }
            return v;
        }
    }
}
