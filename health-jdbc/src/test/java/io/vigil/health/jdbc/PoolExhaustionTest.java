package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.EmbeddedPostgresServer;
import io.vigil.health.test.LogCapture;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolExhaustionTest {
    private final EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
    private final List<Connection> held = new ArrayList<>();
    private HikariDataSource pool;

    private HikariDataSource pool(int max) {
        HikariConfig c = Pools.poolConfig(pg.port(), max);
        c.setConnectionTimeout(10_000); // a check that borrowed from an exhausted pool would wait this long
        pool = new HikariDataSource(c);
        return pool;
    }

    private void borrow(int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            held.add(pool.getConnection());
        }
    }

    @AfterEach
    void release() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        held.clear();
        pool.close();
    }

    @Test
    void anExhaustedPoolIsDegradedAndTheProbeAnswersWithoutQueueingForAConnection() throws SQLException {
        HikariDataSource ds = pool(3);
        try (HealthRegistry health =
                HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "db",
                    DataSourceCheck.of(ds),
                    CheckPolicy.builder()
                            .timeout(Duration.ofSeconds(1))
                            .cacheTtl(Duration.ZERO)
                            .build());
            borrow(3); // the application holds every connection

            HealthReport report = health.evaluate(Probe.READINESS);

            CheckEntry db = report.checks().get(0);
            // answered by the check itself (not cut off by the engine's 1 s timeout while queueing for 10 s)
            assertThat(db.cause()).isEqualTo(Cause.REPORTED);
            assertThat(db.status()).isEqualTo(Status.DEGRADED);
            assertThat(report.outcome()).isEqualTo(Outcome.DEGRADED);
            assertThat(report.outcome().isPassing()).isTrue();
            assertThat(db.message()).startsWith("connection pool exhausted (3 of 3 connections in use");
            assertThat(db.data())
                    .containsEntry("pool.active", 3)
                    .containsEntry("pool.idle", 0)
                    .containsEntry("pool.max", 3)
                    .containsEntry("pool.waiting", 0);
            assertThat(ds.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();

            held.remove(0).close();

            HealthReport recovered = health.evaluate(Probe.READINESS);
            assertThat(recovered.checks().get(0).status()).isEqualTo(Status.UP);
            assertThat(recovered.checks().get(0).data()).containsEntry("database", "PostgreSQL");
        }
    }

    @Test
    void aPoolWithFewerAvailableConnectionsThanTheThresholdIsDegradedAfterValidating() throws SQLException {
        HikariDataSource ds = pool(10);
        DataSourceCheck check = DataSourceCheck.builder(ds).minAvailable(0.25).build();
        borrow(7); // 3 of 10 available: not below 25 %

        CheckResult fine = check.check();
        borrow(1); // 2 of 10 available: below 25 %
        CheckResult low = check.check();

        assertThat(fine.status()).isEqualTo(Status.UP);
        assertThat(fine.data()).containsEntry("pool.active", 7).containsEntry("pool.max", 10);
        assertThat(low.status()).isEqualTo(Status.DEGRADED);
        assertThat(low.message())
                .isEqualTo("connection pool nearly exhausted (8 of 10 connections in use," + " 0 threads waiting)");
        assertThat(low.data()).containsEntry("database", "PostgreSQL").containsEntry("pool.active", 8);
    }

    @Test
    void theDefaultThresholdIsTenPercentOfTheMaximumPoolSize() throws SQLException {
        HikariDataSource ds = pool(20);
        DataSourceCheck check = DataSourceCheck.of(ds);
        borrow(18); // 2 of 20 available: exactly 10 %, not below

        assertThat(check.check().status()).isEqualTo(Status.UP);
        borrow(1); // 1 of 20 available
        assertThat(check.check().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void aPoolThatMayValidateLongerThanTheChecksBudgetIsNamedInOneWarning() {
        HikariConfig c = Pools.poolConfig(pg.port(), 2);
        c.setValidationTimeout(5_000); // HikariCP's default
        pool = new HikariDataSource(c);
        try (LogCapture log = LogCapture.of(DataSourceCheck.class.getName())) {
            DataSourceCheck check = DataSourceCheck.builder(pool).build();
            assertThat(check.check(CheckContext.within(Duration.ofSeconds(10))).status())
                    .isEqualTo(Status.UP);
            assertThat(log.events()).as("a budget above the validation timeout").isEmpty();

            check.check(CheckContext.within(Duration.ofSeconds(1)));
            check.check(CheckContext.within(Duration.ofSeconds(1)));

            assertThat(log.events()).hasSize(1);
            assertThat(log.events().get(0).getLevel()).isEqualTo(Level.WARN);
            assertThat(LogCapture.keyValues(log.events().get(0)))
                    .containsEntry("validationTimeoutMs", 5000L)
                    .hasEntrySatisfying("budgetMs", v -> assertThat((Long) v).isBetween(1L, 1000L));
        }
    }

    @Test
    void aQueryCheckDoesNotBorrowFromAnExhaustedPoolEither() throws SQLException {
        HikariDataSource ds = pool(2);
        QueryThresholdCheck check = QueryThresholdCheck.builder(ds, "SELECT 1").build();
        borrow(2);

        CheckResult r = check.check();

        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message()).contains("query not run");
        assertThat(r.data()).containsEntry("pool.active", 2);
    }
}
