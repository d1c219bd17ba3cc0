package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedPostgresServer;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The JDBC checks while PostgreSQL stalls (a proxy holds every byte back, then lets it through): a check ends
 * within its own timeout without a cancel request to the dead server, never queues in front of the application's
 * waiting threads, holds at most one connection, and leaves the pool's counters at their baseline afterwards.
 * Counts (connections to the server, pool counters, connections lent), with generous bounds on waits.
 */
class JdbcUnderStallTest {
    private final EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
    private BlackHoleProxy proxy;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = new BlackHoleProxy("localhost", pg.port());
    }

    @AfterEach
    void stopProxy() throws Exception {
        proxy.forward();
        proxy.close();
    }

    @Test
    void aValidationQueryOnAStalledServerEndsByTheTimeoutWithoutACancelRequest() throws Exception {
        PGSimpleDataSource direct = EmbeddedPostgresServer.dataSource(
                EmbeddedPostgresServer.APP_USER, EmbeddedPostgresServer.APP_PASSWORD, proxy.port());
        try (OneConnection ds = new OneConnection(direct.getConnection())) { // connected before the stall
            DataSourceCheck check = DataSourceCheck.builder(ds)
                    .validationQuery("SELECT 1")
                    .timeout(Duration.ofSeconds(1))
                    .build();
            assertThat(check.check().status()).isEqualTo(Status.UP);
            int connectionsBefore = proxy.acceptedConnections();

            proxy.stall();
            CompletableFuture<CheckResult> result = Background.supply(check::check);

            // pgjdbc's cancel request to a server that does not answer would hold it for cancelSignalTimeout (10 s)
            await("the check returns").atMost(Duration.ofSeconds(6)).until(result::isDone);
            assertThat(result.get().status()).isEqualTo(Status.DOWN);
            assertThat(result.get().data()).containsEntry("failure", "timeout");
            assertThat(proxy.acceptedConnections())
                    .as("cancel requests sent to the stalled server")
                    .isEqualTo(connectionsBefore);
            assertThat(ds.lent()).as("connections the check kept").isZero();
        }
    }

    @Test
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    void aCheckNeverTakesTheLastFreeSlotWhileTheApplicationWaits() throws Exception {
        HikariConfig config = Pools.poolConfig(proxy.port(), 2);
        config.setMinimumIdle(0); // no background fill: the second connection is made for the waiting thread
        config.setConnectionTimeout(10_000);
        try (HikariDataSource pool = new HikariDataSource(config);
                Connection appHolds = pool.getConnection()) {
            HikariPoolMXBean mx = pool.getHikariPoolMXBean();
            proxy.stall(); // the pool cannot add its second connection now
            CompletableFuture<Connection> appWaits = Background.supply(() -> {
                try {
                    return pool.getConnection();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the application waits for the one free slot")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> mx.getThreadsAwaitingConnection() == 1);
            DataSourceCheck check =
                    DataSourceCheck.builder(pool).timeout(Duration.ofSeconds(1)).build();

            try (HealthRegistry health =
                    HealthRegistry.builder().startedImmediately().build()) {
                health.register(
                        "db",
                        check,
                        CheckPolicy.builder()
                                .timeout(Duration.ofSeconds(2))
                                .cacheTtl(Duration.ZERO)
                                .build());
                CheckEntry db = health.evaluate(Probe.READINESS).checks().get(0);

                assertThat(db.cause())
                        .as("answered by the check, not cut off while queueing")
                        .isEqualTo(Cause.REPORTED);
                assertThat(db.status()).isEqualTo(Status.DEGRADED);
                assertThat(db.message())
                        .startsWith("connection pool busy (1 of 2 connections in use, 1 thread waiting")
                        .endsWith("not competing with the application for the last free connection");
                assertThat(mx.getThreadsAwaitingConnection())
                        .as("threads waiting for a connection")
                        .isEqualTo(1);
            }

            proxy.forward();
            try (Connection c = appWaits.get()) {
                assertThat(c.isValid(1))
                        .as("the application's borrower succeeds")
                        .isTrue();
            }
        }
    }

    @Test
    void aPooledCheckInterruptedDuringAStallHoldsAtMostOneConnectionAndThePoolRecovers() throws Exception {
        HikariConfig config = Pools.poolConfig(proxy.port(), 3);
        config.setMinimumIdle(2);
        config.setValidationTimeout(250);
        try (HikariDataSource pool = new HikariDataSource(config);
                HealthRegistry health =
                        HealthRegistry.builder().startedImmediately().build()) {
            HikariPoolMXBean mx = pool.getHikariPoolMXBean();
            // the registration's timeout (300 ms) is shorter than the check's own (1 s): the engine interrupts
            health.register(
                    "db",
                    DataSourceCheck.builder(pool)
                            .validationQuery("SELECT 1")
                            .timeout(Duration.ofSeconds(1))
                            .build(),
                    CheckPolicy.builder()
                            .timeout(Duration.ofMillis(300))
                            .cacheTtl(Duration.ZERO)
                            .build());
            await("UP before the stall")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            await().atMost(Duration.ofSeconds(5)).until(() -> mx.getIdleConnections() >= 2);

            proxy.stall();
            int peakActive = 0;
            for (int i = 0; i < 8; i++) {
                assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
                peakActive = Math.max(peakActive, mx.getActiveConnections());
            }
            assertThat(peakActive)
                    .as("connections lent to the check during the stall")
                    .isLessThanOrEqualTo(1);

            proxy.forward();
            await("the check answers again")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            await("the pool is back at its baseline")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        assertThat(mx.getActiveConnections()).isZero();
                        assertThat(mx.getThreadsAwaitingConnection()).isZero();
                        assertThat(mx.getTotalConnections()).isLessThanOrEqualTo(3);
                    });
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT 1")) {
                assertThat(rs.next()).as("the application's own query").isTrue();
            }
        }
    }

    /**
     * A data source lending one real connection, again and again, as a pool would; closing what it lent gives it
     * back. Lets a check reach its validation on a connection made before the stall.
     */
    private static final class OneConnection implements DataSource, AutoCloseable {
        private final Connection physical;
        private final AtomicInteger lent = new AtomicInteger();

        OneConnection(Connection physical) {
            this.physical = physical;
        }

        int lent() {
            return lent.get();
        }

        @Override
        public Connection getConnection() {
            lent.incrementAndGet();
            boolean[] returned = {false};
            return (Connection) Proxy.newProxyInstance(
                    Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (p, method, args) -> {
                        if (method.getName().equals("close")) {
                            if (!returned[0]) {
                                returned[0] = true;
                                lent.decrementAndGet();
                            }
                            return null;
                        }
                        try {
                            return method.invoke(physical, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String username, String password) {
            return getConnection();
        }

        @Override
        public void close() throws SQLException {
            physical.close();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
            // none
        }

        @Override
        public void setLoginTimeout(int seconds) {
            // none
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
