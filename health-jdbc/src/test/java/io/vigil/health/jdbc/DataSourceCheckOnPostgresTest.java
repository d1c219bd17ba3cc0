package io.vigil.health.jdbc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.test.EmbeddedPostgresServer;
import io.vigil.health.test.LogCapture;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

class DataSourceCheckOnPostgresTest {
    private final EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();

    @Test
    void aRunningServerIsUpWithItsProductAndVersion() {
        CheckResult r = DataSourceCheck.of(pg.app()).check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("database", "PostgreSQL").containsEntry("validation", "isValid");
        assertThat((String) r.data().get("databaseVersion")).startsWith("14.");
    }

    @Test
    void wrongCredentialsAreDownAndThePasswordAppearsNowhere() {
        String wrong = "Wr0ng-" + EmbeddedPostgresServer.APP_PASSWORD;
        PGSimpleDataSource ds = EmbeddedPostgresServer.dataSource(EmbeddedPostgresServer.APP_USER, wrong, pg.port());
        try (LogCapture logs = LogCapture.of("io.vigil");
                HealthRegistry health =
                        HealthRegistry.builder().startedImmediately().build()) {
            health.register("db", DataSourceCheck.of(ds));

            HealthReport report = health.evaluate(Probe.READINESS);
            String json = new String(
                    HealthHandler.builder(health)
                            .details(DetailsPolicy.ALWAYS)
                            .build()
                            .handle(HealthRequest.builder("GET", "/health/ready")
                                    .authorized(true)
                                    .build())
                            .body(),
                    UTF_8);

            CheckEntry db = report.checks().get(0);
            assertThat(report.outcome()).isEqualTo(Outcome.DOWN);
            assertThat(db.status()).isEqualTo(Status.DOWN);
            assertThat(db.message())
                    .contains("password authentication failed for user \"app\"")
                    .contains("SQLState 28P01");
            assertThat(db.data()).containsEntry("failure", "authentication").containsEntry("sqlState", "28P01");
            assertThat(db.message()).doesNotContain(wrong);
            assertThat(String.valueOf(db.data())).doesNotContain(wrong);
            assertThat(json).contains("28P01").doesNotContain(wrong);
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue(); // transition lines come shortly after
            assertThat(logs.everything()).contains("DOWN").doesNotContain(wrong);
        }
    }

    @Test
    void aPasswordInTheUrlQueryIsNotShownWhenTheServerIsUnreachable() throws Exception {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://localhost:" + io.vigil.health.test.Ports.free() + "/postgres?user=app&password="
                + EmbeddedPostgresServer.APP_PASSWORD + "&connectTimeout=1");

        CheckResult r = DataSourceCheck.of(ds).check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("failure", "connection").containsEntry("sqlState", "08001");
        assertThat(r.message()).contains("refused").doesNotContain(EmbeddedPostgresServer.APP_PASSWORD);
    }

    @Test
    void aValidationQueryThatOverrunsTheTimeoutEndsAtTheNetworkTimeoutWithoutACancelRequest() {
        DataSourceCheck check = DataSourceCheck.builder(pg.app())
                .validationQuery("SELECT pg_sleep(30)")
                .timeout(Duration.ofSeconds(1))
                .build();

        // returns because the connection's network timeout (the check's timeout) breaks the read; the statement
        // timeout is a second longer, so no cancel request is sent (one to a dead server would hang)
        CheckResult r = check.check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("failure", "timeout").containsEntry("sqlState", "08006");
        assertThat(r.message()).startsWith("timed out: ");
    }

    @Test
    void theRegistryReportsTheDatabaseUpOnReadiness() {
        try (HealthRegistry health =
                HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "db",
                    DataSourceCheck.builder(pg.app())
                            .validationQuery("SELECT 1")
                            .build(),
                    CheckPolicy.builder().timeout(Duration.ofSeconds(2)).build());

            HealthReport report = health.evaluate(Probe.READINESS);

            assertThat(report.outcome().isPassing()).isTrue();
            assertThat(report.checks().get(0).data())
                    .containsEntry("database", "PostgreSQL")
                    .containsEntry("validation", "query");
        }
    }
}
