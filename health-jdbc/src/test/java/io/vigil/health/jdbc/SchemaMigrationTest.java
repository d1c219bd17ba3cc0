package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.test.LogCapture;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaMigrationTest {
    private final JdbcDataSource ds = new JdbcDataSource();
    private Connection keepAlive;
    private HealthRegistry health;

    @BeforeEach
    void setUp() throws SQLException {
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID());
        keepAlive = ds.getConnection();
        health = HealthRegistry.builder().startedImmediately().build();
        health.register("db", DataSourceCheck.of(ds));
    }

    @AfterEach
    void tearDown() throws SQLException {
        health.close();
        keepAlive.close();
    }

    /** A real migration: creates and fills a table. */
    private int migrate() throws SQLException {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customer(id INT PRIMARY KEY, name VARCHAR(40))");
            return s.executeUpdate("INSERT INTO customer VALUES (1, 'Ada'), (2, 'Grace')");
        }
    }

    @Test
    void readinessIsLockedWhileTheMigrationRunsAndLivenessStaysUp() throws SQLException {
        SchemaMigration migration = SchemaMigration.builder(health)
                .description("Migrating schema to v2")
                .maxDuration(Duration.ofMinutes(10))
                .build();
        AtomicReference<HealthReport> readyDuring = new AtomicReference<>();
        AtomicReference<HealthReport> liveDuring = new AtomicReference<>();

        int rows = migration.call(() -> {
            readyDuring.set(health.evaluate(Probe.READINESS));
            liveDuring.set(health.evaluate(Probe.LIVENESS));
            return migrate();
        });

        assertThat(rows).isEqualTo(2);
        assertThat(readyDuring.get().outcome()).isEqualTo(Outcome.LOCKED);
        assertThat(readyDuring.get().outcome()).isEqualTo(Outcome.LOCKED);
        LockInfo lock = readyDuring.get().locks().get(0);
        assertThat(lock.name()).isEqualTo("schema-migration");
        assertThat(lock.description()).isEqualTo("Migrating schema to v2");
        assertThat(lock.maxDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(liveDuring.get().outcome().isPassing()).isTrue();
        assertThat(health.locks()).isEmpty();
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        try (Statement s = keepAlive.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM customer")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
    }

    @Test
    void aFailingMigrationReleasesTheLockAndPropagatesItsError() throws SQLException {
        SchemaMigration migration =
                SchemaMigration.builder(health).lockName("flyway").build();
        migrate();

        assertThatThrownBy(() -> migration.run(this::migrate)) // the table exists already: a real SQL failure
                .isInstanceOf(SchemaMigration.MigrationFailedException.class)
                .hasMessageStartingWith("flyway failed: ")
                .hasCauseInstanceOf(SQLException.class);
        assertThatThrownBy(() -> migration.run(() -> {
                    throw new IllegalStateException("validation failed: checksum mismatch");
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("validation failed: checksum mismatch");

        assertThat(health.locks()).isEmpty();
        assertThat(health.evaluate(Probe.READINESS).outcome().isPassing()).isTrue();
    }

    @Test
    void startAndEndAreLoggedWithTheDuration() {
        try (LogCapture logs = LogCapture.of(SchemaMigration.class.getName())) {
            SchemaMigration.builder(health).build().run(this::migrate);

            assertThat(logs.lines())
                    .anySatisfy(l -> assertThat(l).contains("schema migration started"))
                    .anySatisfy(l ->
                            assertThat(l).contains("schema migration finished").contains("durationMs="));
        }
    }

    @Test
    void aMigrationThatOutlivesItsMaximumDurationUnlocksReadinessAndSaysSo() {
        try (LogCapture logs = LogCapture.of(SchemaMigration.class.getName())) {
            SchemaMigration migration = SchemaMigration.builder(health)
                    .maxDuration(Duration.ofMillis(200))
                    .build();

            migration.run(() -> org.awaitility.Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> health.locks().isEmpty()));

            assertThat(health.evaluate(Probe.READINESS).outcome().isPassing()).isTrue();
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("outlived its lock"));
        }
    }

    @Test
    void aCheckedIoFailureIsWrapped() {
        SchemaMigration migration = SchemaMigration.builder(health).build();
        assertThatThrownBy(() -> migration.call(() -> {
                    throw new IOException("changelog not found");
                }))
                .isInstanceOf(SchemaMigration.MigrationFailedException.class)
                .hasMessage("schema-migration failed: IOException: changelog not found");
    }
}
