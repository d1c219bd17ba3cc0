package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.EmbeddedPostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The registration's timeout is the only number a user sets: a JDBC check bounds its own I/O by the time the
 * engine gives it, so against a server that does not answer in time its own diagnosis (SQLState, "timed out")
 * is what the probe reports, not the engine's generic TIMEOUT.
 */
class RegistrationTimeoutTest {
    private static final String SLOW = "SELECT pg_sleep(5)";
    private final EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
    private final HealthRegistry health =
            HealthRegistry.builder().startedImmediately().build();

    @AfterEach
    void close() {
        health.close();
    }

    private PGSimpleDataSource direct() {
        return EmbeddedPostgresServer.dataSource(
                EmbeddedPostgresServer.APP_USER, EmbeddedPostgresServer.APP_PASSWORD, pg.port());
    }

    private CheckEntry probeOnce(HealthCheck check) {
        health.register(
                "db",
                check,
                CheckPolicy.builder()
                        .timeout(Duration.ofSeconds(1))
                        .cacheTtl(Duration.ZERO)
                        .build());
        return health.evaluate(Probe.READINESS).checks().get(0);
    }

    @Test
    void aValidationQueryThatOverrunsReportsTheDriversTimeoutNotTheEngines() {
        CheckEntry db = probeOnce(
                DataSourceCheck.builder(direct()).validationQuery(SLOW).build());

        assertThat(db.status()).isEqualTo(Status.DOWN);
        assertThat(db.cause()).isEqualTo(Cause.REPORTED);
        assertThat(db.message()).startsWith("timed out: ").contains("SQLState");
        assertThat(db.data()).containsEntry("failure", "timeout").containsKey("sqlState");
    }

    @Test
    void aThresholdQueryThatOverrunsReportsTheDriversTimeoutNotTheEngines() {
        CheckEntry db = probeOnce(QueryThresholdCheck.builder(direct(), SLOW).build());

        assertThat(db.status()).isEqualTo(Status.DOWN);
        assertThat(db.cause()).isEqualTo(Cause.REPORTED);
        assertThat(db.message()).startsWith("timed out: ");
        assertThat(db.data()).containsEntry("failure", "timeout");
    }

    @Test
    void theChecksOwnTimeoutIsAnUpperBoundBelowTheRegistrations() {
        health.register(
                "db",
                DataSourceCheck.builder(direct())
                        .validationQuery(SLOW)
                        .timeout(Duration.ofMillis(300))
                        .build(),
                CheckPolicy.builder()
                        .timeout(Duration.ofSeconds(30))
                        .cacheTtl(Duration.ZERO)
                        .build());
        CheckEntry db = health.evaluate(Probe.READINESS).checks().get(0);

        assertThat(db.cause()).isEqualTo(Cause.REPORTED);
        assertThat(db.data()).containsEntry("failure", "timeout");
        assertThat(db.duration()).isLessThan(Duration.ofSeconds(5)); // ended by the cap, not by pg_sleep(5)
    }
}
