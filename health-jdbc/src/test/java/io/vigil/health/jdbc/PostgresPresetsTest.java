package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PostgreSQL presets on real servers: a primary with a real streaming replica made from it. */
class PostgresPresetsTest {
    private static EmbeddedPostgresServer primary;
    private static EmbeddedPostgresServer replica;

    @BeforeAll
    static void startPrimaryAndReplica() {
        primary = EmbeddedPostgresServer.start();
        primary.execute("CREATE TABLE events(id bigserial PRIMARY KEY, payload text)");
        replica = primary.startReplica();
        await("the replica streams from the primary")
                .atMost(Duration.ofSeconds(30))
                .until(() -> PostgresChecks.replicationLagBytes(primary.superuser())
                        .build()
                        .check()
                        .data()
                        .get("replicas")
                        .equals(1L));
    }

    @AfterAll
    static void stopServers() {
        if (replica != null) {
            replica.close();
        }
        primary.close();
    }

    @Test
    void aPrimaryWithAReplicaThatKeepsUpIsUpAndOneWhoseReplicaPausedReplayLagsInBytes() throws Exception {
        DataSource p = primary.superuser();
        await("caught up")
                .atMost(Duration.ofSeconds(30))
                .until(() ->
                        PostgresChecks.replicationLagBytes(p).build().check().status() == Status.UP);
        CheckResult caughtUp = PostgresChecks.replicationLagBytes(p).build().check();
        assertThat(caughtUp.data())
                .containsEntry("replicas", 1L)
                .containsEntry("unit", "bytes")
                .containsEntry("warnAbove", 16L * 1024 * 1024);

        replica.execute("SELECT pg_wal_replay_pause()");
        try {
            primary.execute("INSERT INTO events(payload) SELECT repeat('x', 1000) FROM generate_series(1, 2000)");
            QueryThresholdCheck lag = PostgresChecks.replicationLagBytes(p)
                    .warnAbove(100_000)
                    .failAbove(1e12)
                    .build();

            await("lag in bytes seen on the primary")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> lag.check().status() == Status.DEGRADED);
            CheckResult lagging = lag.check();
            assertThat(((Number) lagging.data().get("lagBytes")).longValue()).isGreaterThan(100_000);
            assertThat(lagging.message()).contains("is above the warning threshold 100000 bytes");
        } finally {
            replica.execute("SELECT pg_wal_replay_resume()");
        }
        await("caught up again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> PostgresChecks.replicationLagBytes(p)
                                .warnAbove(100_000)
                                .build()
                                .check()
                                .status()
                        == Status.UP);
    }

    @Test
    void aReplicaWhosePausedReplayFallsBehindReportsReplayLagInSeconds() throws Exception {
        DataSource r = replica.superuser();
        QueryThresholdCheck lag =
                PostgresChecks.replicaReplayLag(r).warnAbove(1).failAbove(3600).build();
        primary.execute("INSERT INTO events(payload) VALUES ('before pause')");
        await("replica caught up")
                .atMost(Duration.ofSeconds(30))
                .until(() -> lag.check().status() == Status.UP);
        CheckResult caughtUp = lag.check();
        assertThat(caughtUp.data())
                .containsEntry("lagSeconds", 0L)
                .containsEntry("in_recovery", true)
                .containsEntry("wal_receiver", "streaming");

        replica.execute("SELECT pg_wal_replay_pause()");
        try {
            // keep writing so the replica receives WAL it does not replay
            await("replay lag above 1 s")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        primary.execute("INSERT INTO events(payload) VALUES ('while paused')");
                        return lag.check().status() == Status.DEGRADED;
                    });
            assertThat(((Number) lag.check().data().get("lagSeconds")).doubleValue())
                    .isGreaterThan(1);
        } finally {
            replica.execute("SELECT pg_wal_replay_resume()");
        }
        await("replica caught up again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> lag.check().status() == Status.UP);
    }

    @Test
    void onThePrimaryTheReplicaPresetReportsNoLagAndNotInRecovery() {
        CheckResult r =
                PostgresChecks.replicaReplayLag(primary.superuser()).build().check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("lagSeconds", 0L).containsEntry("in_recovery", false);
    }

    @Test
    void thePrimarySecondsPresetSeesItsReplica() {
        CheckResult r = PostgresChecks.replicationLagSeconds(primary.superuser())
                .build()
                .check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data())
                .containsEntry("replicas", 1L)
                .containsKey("lagSeconds")
                .containsEntry("unit", "s");
    }

    @Test
    void aServerWithoutReplicasIsDegradedByThePrimaryLagPresets() {
        DataSource standalone = EmbeddedPostgresServer.shared().superuser();

        CheckResult bytes =
                PostgresChecks.replicationLagBytes(standalone).build().check();
        CheckResult seconds =
                PostgresChecks.replicationLagSeconds(standalone).build().check();

        assertThat(bytes.status()).isEqualTo(Status.DEGRADED);
        assertThat(bytes.message()).isEqualTo("no streaming replica connected");
        assertThat(bytes.data()).containsEntry("replicas", 0L);
        assertThat(seconds.status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void connectionSaturationCountsClientConnectionsAgainstMaxConnections() throws SQLException {
        DataSource ds = primary.superuser();
        CheckResult before = PostgresChecks.connectionSaturation(ds).build().check();
        long baseline = ((Number) before.data().get("connections")).longValue();
        assertThat(before.data()).containsEntry("max_connections", 100L);
        // 100 max connections: each is one percent; warn when 5 more are open than now
        QueryThresholdCheck check = PostgresChecks.connectionSaturation(ds)
                .warnAbove(baseline + 4.5)
                .build();
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                open.add(ds.getConnection());
            }
            CheckResult busy = check.check();

            assertThat(busy.status()).isEqualTo(Status.DEGRADED);
            assertThat(((Number) busy.data().get("connections")).longValue()).isGreaterThanOrEqualTo(baseline + 5);
            assertThat(busy.message()).startsWith("percent ").contains("% is above the warning threshold");
        } finally {
            for (Connection c : open) {
                c.close();
            }
        }
        assertThat(check.check().status()).isEqualTo(Status.UP);
    }

    @Test
    void aStatementRunningLongerThanTheLimitIsReportedUntilItIsCancelled() throws Exception {
        DataSource ds = primary.superuser();
        QueryThresholdCheck check =
                PostgresChecks.longRunningQueries(ds, Duration.ofMillis(500)).build();
        assertThat(check.check().status()).isEqualTo(Status.UP);

        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            CompletableFuture<Void> sleeping = Background.run(() -> {
                try {
                    s.execute("SELECT pg_sleep(60)");
                } catch (SQLException cancelled) {
                    // ended by the cancel below
                }
            });
            await("the sleeping statement counts as long-running")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> check.check().status() == Status.DEGRADED);
            CheckResult r = check.check();
            assertThat(r.data()).containsEntry("longRunning", 1L);
            assertThat(((Number) r.data().get("longest_seconds")).doubleValue()).isGreaterThanOrEqualTo(0.5);
            assertThat(r.message()).isEqualTo("longRunning 1 is above the warning threshold 0");

            s.cancel();
            await().atMost(Duration.ofSeconds(20)).until(sleeping::isDone);
        }
        assertThat(check.check().status()).isEqualTo(Status.UP);
    }
}
