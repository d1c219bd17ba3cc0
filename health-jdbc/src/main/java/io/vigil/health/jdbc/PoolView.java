package io.vigil.health.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/** A live view of a connection pool's counters; found for HikariCP when it is on the class path. */
interface PoolView {

    /** @return the counters now, or {@code null} while the pool has not started */
    @Nullable
    PoolStats stats();

    /**
     * Borrows a connection, waiting for one at most {@code timeout} (or the pool's own limit, if shorter).
     *
     * @param timeout the check's timeout
     * @return a connection; closing it gives it back
     * @throws SQLException when none is available in time
     */
    Connection borrow(Duration timeout) throws SQLException;

    /**
     * @return how long the pool may spend validating an idle connection before it lends it (HikariCP
     *         {@code validationTimeout}); that time is not bounded by the borrower
     */
    Duration validationTimeout();

    /**
     * Warns once per pool view when the pool may hold a borrow longer than the check's I/O budget.
     *
     * @param check  the check's class, for the log
     * @param budget the time the check gives its borrow and validation
     */
    void warnIfSlowerThan(Class<?> check, Duration budget);

    /**
     * @param dataSource any data source
     * @return a view when it is (or wraps) a known pool, otherwise {@code null}
     */
    static @Nullable PoolView find(DataSource dataSource) {
        return Hikari.PRESENT ? HikariPoolView.find(dataSource) : null;
    }

    /** Whether HikariCP (an optional dependency) can be loaded, decided once. */
    final class Hikari {
        static final boolean PRESENT = present();

        private Hikari() {}

        private static boolean present() {
            try {
                Class.forName("com.zaxxer.hikari.HikariDataSource", false, PoolView.class.getClassLoader());
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
    }
}
