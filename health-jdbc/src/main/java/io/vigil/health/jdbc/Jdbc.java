package io.vigil.health.jdbc;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** Helpers shared by the JDBC checks: time bounds on a connection and clean failure results. */
final class Jdbc {
    /** Runs a driver's abort work on the thread that detects the timeout; no thread of our own. */
    private static final Executor DIRECT = Runnable::run;
    /** A JDBC URL with something before an {@code @}: Oracle {@code user/pw@host}, H2 {@code user:pw@...}. */
    private static final Pattern JDBC_CREDENTIALS = Pattern.compile("(jdbc:[A-Za-z0-9]+:(?://)?)[^\\s\"'<>]*@");
    /** A fragment of a URL a driver quotes after misparsing it: {@code "pw@host:5432"}. */
    private static final Pattern AT_HOST =
            Pattern.compile("(^|[\\s\"'(=/:])[^\\s\"'/@()=:]+(?::[^\\s\"'/@()=]*)?@(?=[A-Za-z0-9.\\[\\]-]+(?::\\d|/))");
    /** Returned by {@link #boundNetwork} when the driver cannot bound I/O on a connection. */
    static final int UNSUPPORTED = -1;

    /** The budget of a check called directly, without an engine: the registration default. */
    private static final Duration DIRECT_BUDGET = CheckPolicy.defaults().timeout();

    private Jdbc() {}

    /**
     * @param cap the check's own upper bound, or {@code null}
     * @return the context for a direct call of {@link io.vigil.health.HealthCheck#check()}: the cap, or 1 s
     */
    static CheckContext direct(@Nullable Duration cap) {
        return cap != null ? CheckContext.direct(cap) : CheckContext.within(DIRECT_BUDGET);
    }

    /**
     * @param context the evaluation's deadline
     * @param cap     the check's own upper bound, or {@code null}
     * @return the I/O timeout for the next step: the time left less a reserve for reporting, at most the cap
     */
    static Duration io(CheckContext context, @Nullable Duration cap) {
        return cap != null ? context.ioTimeout(cap) : context.ioTimeout();
    }

    /**
     * Borrows (pool) or opens (data source) the connection a check uses, waiting for a pooled one at most the time
     * left less the reserve; warns once when the pool may re-validate longer than that.
     *
     * @param check the check's class, for the warning
     * @return the connection; closing it gives it back
     * @throws SQLException when none is available in time
     */
    static Connection borrow(
            DataSource dataSource,
            @Nullable PoolView pool,
            CheckContext context,
            @Nullable Duration cap,
            Class<?> check)
            throws SQLException {
        if (pool == null) {
            return dataSource.getConnection();
        }
        Duration wait = io(context, cap);
        pool.warnIfSlowerThan(check, wait);
        return pool.borrow(wait);
    }

    /** @return the network timeout used for a check timeout: the timeout itself, in milliseconds (at least 1) */
    static int networkMillis(Duration timeout) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** JDBC takes whole seconds for query and validity timeouts; rounds up, at least 1 (0 would mean none). */
    static int seconds(Duration timeout) {
        long ms = timeout.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ms + 999) / 1000));
    }

    /**
     * The statement timeout for a check timeout. Where the network is bounded, the statement timeout is a whole
     * second longer than the network timeout, so it never fires first: a driver's query timeout sends a cancel
     * request over a new connection (pgjdbc waits for it up to {@code cancelSignalTimeout}, 10 s by default),
     * which a dead server never answers. Without a network bound it is the only bound: the timeout in whole
     * seconds.
     *
     * @param timeout          the check's timeout
     * @param previousNetwork  what {@link #boundNetwork} returned
     * @return seconds for {@link java.sql.Statement#setQueryTimeout(int)}
     */
    static int querySeconds(Duration timeout, int previousNetwork) {
        int seconds = seconds(timeout);
        return previousNetwork == UNSUPPORTED ? seconds : seconds + 1;
    }

    /**
     * Bounds every network read on the connection by the check's timeout, so neither a half-open TCP connection
     * nor a stalled server can hold the thread (and the connection) longer. A read that times out breaks the
     * connection (pgjdbc closes it, SQLState 08006) and the pool replaces it; no cancel request is sent.
     *
     * @return the previous network timeout to restore, or {@link #UNSUPPORTED}
     */
    static int boundNetwork(Connection c, Duration timeout) throws SQLException {
        int previous;
        try {
            previous = c.getNetworkTimeout();
            c.setNetworkTimeout(DIRECT, networkMillis(timeout));
        } catch (SQLFeatureNotSupportedException | AbstractMethodError | UnsupportedOperationException e) {
            return UNSUPPORTED;
        }
        return previous;
    }

    /** Gives a (pooled) connection back its own network timeout; a broken connection is left to its pool. */
    static void restoreNetwork(Connection c, int previous) {
        if (previous == UNSUPPORTED) {
            return;
        }
        try {
            if (!c.isClosed()) {
                c.setNetworkTimeout(DIRECT, previous);
            }
        } catch (SQLException | RuntimeException e) {
            // the connection is broken; closing it hands it back to the pool, which evicts it
        }
    }

    /**
     * Removes credentials from driver text: URL user-info and query strings, key=value secrets, anything before
     * an {@code @} in a JDBC URL, and {@code secret@host:port} fragments of misparsed URLs. Best effort on
     * free text; the engine redacts again with {@link Secrets#redact(String)}.
     */
    static String redact(String text) {
        if (text == null) {
            return "";
        }
        String s = AT_HOST.matcher(text).replaceAll("$1***@");
        s = JDBC_CREDENTIALS.matcher(s).replaceAll("$1***@");
        return Secrets.redact(s);
    }

    /**
     * A DOWN result for a failure: a one-line, redacted message with the SQLState and vendor code, and data
     * keys {@code failure}, {@code sqlState}, {@code vendorCode}.
     */
    static CheckResult failure(Exception e, Map<String, Object> data) {
        Map<String, Object> d = new LinkedHashMap<>(data);
        StringBuilder msg = new StringBuilder();
        String kind = classify(e);
        d.put("failure", kind);
        if (kind.equals("timeout")) {
            msg.append("timed out: ");
        }
        String text = e.getMessage();
        msg.append(text == null || text.isBlank() ? e.getClass().getSimpleName() : firstLine(redact(text)));
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            String causeText = cause.getMessage() == null || cause.getMessage().isBlank()
                    ? ""
                    : ": " + firstLine(redact(cause.getMessage()));
            msg.append(" (")
                    .append(cause.getClass().getSimpleName())
                    .append(causeText)
                    .append(')');
        }
        if (e instanceof SQLException sql) {
            if (sql.getSQLState() != null) {
                d.put("sqlState", sql.getSQLState());
            }
            d.put("vendorCode", sql.getErrorCode());
            msg.append(" [SQLState ").append(sql.getSQLState() == null ? "none" : sql.getSQLState());
            if (sql.getErrorCode() != 0) {
                msg.append(", vendor code ").append(sql.getErrorCode());
            }
            msg.append(']');
        }
        return CheckResult.of(Status.DOWN, msg.toString()).withData(d).withError(e);
    }

    /** {@code timeout} (by type, SQLState or a driver's "timed out"), {@code connection}, {@code authentication} or {@code sql}. */
    static String classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTimeoutException
                    || t instanceof SocketTimeoutException
                    || (t instanceof SQLException sql && isTimeoutState(sql.getSQLState()))
                    || (t.getMessage() != null
                            && t.getMessage().toLowerCase(java.util.Locale.ROOT).contains("timed out"))) {
                return "timeout";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                if (sql.getSQLState().startsWith("08")) {
                    return "connection";
                }
                if (sql.getSQLState().startsWith("28")) {
                    return "authentication";
                }
            }
        }
        return "sql";
    }

    /** query_canceled (PostgreSQL cancels a statement at its query timeout) and the ODBC timeout states. */
    private static boolean isTimeoutState(String state) {
        return "57014".equals(state) || "HYT00".equals(state) || "HYT01".equals(state);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        String line = nl >= 0 ? s.substring(0, nl) : s;
        return line.strip();
    }
}
