package io.vigil.health.jdbc;

import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Ready-made PostgreSQL (10 or later) {@link QueryThresholdCheck}s. Each factory returns a builder with
 * sensible thresholds that can be changed before {@code build()}. The queries read only statistics views
 * and settings; the user needs no privilege beyond {@code pg_monitor} (or ownership of the sessions it
 * should see in {@code pg_stat_activity}).
 *
 * <pre>{@code
 * health.register("replication", PostgresChecks.replicationLagBytes(primary).build(),
 *         CheckPolicy.builder().optional().build());
 * health.register("replica-lag", PostgresChecks.replicaReplayLag(replica).warnAbove(5).build());
 * }</pre>
 */
public final class PostgresChecks {
    static final String REPLICATION_LAG_BYTES = "SELECT max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn))"
            + " AS lag_bytes, count(*) AS replicas FROM pg_stat_replication";
    static final String REPLICATION_LAG_SECONDS = "SELECT max(COALESCE(EXTRACT(EPOCH FROM replay_lag), 0))"
            + " AS lag_seconds, count(*) AS replicas FROM pg_stat_replication";
    static final String REPLICA_REPLAY_LAG = "SELECT CASE"
            + " WHEN NOT pg_is_in_recovery() THEN 0"
            + " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            + " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END AS lag_seconds,"
            + " pg_is_in_recovery() AS in_recovery,"
            + " (SELECT status FROM pg_stat_wal_receiver LIMIT 1) AS wal_receiver";
    static final String CONNECTION_SATURATION = "SELECT round(100.0 * count(*)"
            + " / current_setting('max_connections')::int, 1) AS percent, count(*) AS connections,"
            + " current_setting('max_connections')::int AS max_connections"
            + " FROM pg_stat_activity WHERE backend_type = 'client backend'";

    private PostgresChecks() {}

    /**
     * Replication lag on a <em>primary</em>, in bytes of WAL not yet replayed by the slowest streaming replica
     * ({@code pg_stat_replication}). Always accurate, also when the primary is idle. Data: {@code lagBytes},
     * {@code replicas}. No replica connected: DEGRADED. Defaults: warn above 16 MiB, fail above 1 GiB.
     *
     * @param primary data source of the primary
     * @return a builder
     */
    public static QueryThresholdCheck.Builder replicationLagBytes(DataSource primary) {
        return QueryThresholdCheck.builder(primary, REPLICATION_LAG_BYTES)
                .measurement("lagBytes")
                .unit("bytes")
                .warnAbove(16L * 1024 * 1024)
                .failAbove(1024L * 1024 * 1024)
                .whenNoValue(Status.DEGRADED, "no streaming replica connected");
    }

    /**
     * Replication lag on a <em>primary</em>, in seconds the slowest streaming replica needs to replay what
     * the primary wrote ({@code replay_lag} of {@code pg_stat_replication}; a caught-up idle replica counts 0).
     * Data: {@code lagSeconds}, {@code replicas}. No replica connected: DEGRADED. Defaults: warn above 10 s,
     * fail above 300 s.
     *
     * @param primary data source of the primary
     * @return a builder
     */
    public static QueryThresholdCheck.Builder replicationLagSeconds(DataSource primary) {
        return QueryThresholdCheck.builder(primary, REPLICATION_LAG_SECONDS)
                .measurement("lagSeconds")
                .unit("s")
                .warnAbove(10)
                .failAbove(300)
                .whenNoValue(Status.DEGRADED, "no streaming replica connected");
    }

    /**
     * Replay lag on a <em>replica</em>, in seconds since the last replayed transaction
     * ({@code pg_last_xact_replay_timestamp()}), or 0 when everything received is replayed (so an idle
     * primary does not look like lag). A server that is not in recovery (a primary, or a promoted replica)
     * reports 0. Data: {@code lagSeconds}, {@code in_recovery}, {@code wal_receiver} (status of the WAL
     * receiver, {@code null} when none runs). Nothing replayed yet: DEGRADED. Defaults: warn above 10 s,
     * fail above 300 s.
     *
     * @param replica data source of the replica
     * @return a builder
     */
    public static QueryThresholdCheck.Builder replicaReplayLag(DataSource replica) {
        return QueryThresholdCheck.builder(replica, REPLICA_REPLAY_LAG)
                .measurement("lagSeconds")
                .unit("s")
                .warnAbove(10)
                .failAbove(300)
                .whenNoValue(Status.DEGRADED, "no transaction replayed yet");
    }

    /**
     * Client connections as a percentage of {@code max_connections} ({@code pg_stat_activity}). Data:
     * {@code percent}, {@code connections}, {@code max_connections}. Defaults: warn above 80 %, fail above 95 %.
     *
     * @param dataSource any database of the server
     * @return a builder
     */
    public static QueryThresholdCheck.Builder connectionSaturation(DataSource dataSource) {
        return QueryThresholdCheck.builder(dataSource, CONNECTION_SATURATION)
                .measurement("percent")
                .unit("%")
                .warnAbove(80)
                .failAbove(95);
    }

    /**
     * Client sessions whose current statement (or open transaction, for {@code idle in transaction}) has run
     * longer than {@code olderThan}, not counting the check's own session. Data: {@code longRunning},
     * {@code longest_seconds}. Defaults: warn above 0 (DEGRADED as soon as one exists), no failure threshold.
     *
     * @param dataSource any database of the server
     * @param olderThan  how long a statement may run, e.g. 5 minutes; at least 1 ms
     * @return a builder
     * @throws IllegalArgumentException unless positive
     */
    public static QueryThresholdCheck.Builder longRunningQueries(DataSource dataSource, Duration olderThan) {
        Objects.requireNonNull(dataSource, "dataSource");
        long millis = Math.max(1, Require.positive(olderThan, "olderThan").toMillis());
        // a running statement is timed from its start, an idle-in-transaction session from its transaction's
        String since = "CASE WHEN state = 'active' THEN query_start ELSE xact_start END";
        String sql = "SELECT count(*) AS long_running,"
                + " COALESCE(round(max(EXTRACT(EPOCH FROM clock_timestamp() - " + since + "))::numeric, 1), 0)"
                + " AS longest_seconds FROM pg_stat_activity"
                + " WHERE backend_type = 'client backend' AND state NOT IN ('idle', 'disabled')"
                + " AND pid <> pg_backend_pid()"
                + " AND " + since + " < clock_timestamp() - interval '1 millisecond' * " + millis;
        return QueryThresholdCheck.builder(dataSource, sql)
                .measurement("longRunning")
                .warnAbove(0);
    }
}
