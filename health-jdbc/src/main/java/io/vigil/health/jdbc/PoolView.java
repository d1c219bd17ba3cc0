package io.vigil.health.jdbc;

import javax.sql.DataSource;

/** A live view of a connection pool's counters; found for HikariCP when it is on the class path. */
interface PoolView {

    /** @return the counters now, or {@code null} while the pool has not started */
    PoolStats stats();

    /**
     * @param dataSource any data source
     * @return a view when it is (or wraps) a known pool, otherwise {@code null}
     */
    static PoolView find(DataSource dataSource) {
        return Hikari.PRESENT ? HikariPoolView.find(dataSource) : null;
    }

    /** Whether HikariCP (an optional dependency) can be loaded, decided once. */
    final class Hikari {
        static final boolean PRESENT = present();

        private Hikari() {
        }

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
