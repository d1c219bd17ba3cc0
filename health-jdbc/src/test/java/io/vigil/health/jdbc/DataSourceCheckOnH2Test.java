package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataSourceCheckOnH2Test {
    private static final String SECRET = "h2-S3cret-pw";
    private final String db = "mem:" + UUID.randomUUID();
    private Connection keepAlive;
    private HealthRegistry health;

    @BeforeEach
    void createDatabase() throws SQLException {
        keepAlive = h2("sa", SECRET).getConnection(); // an in-memory database lives while a connection is open
        health = HealthRegistry.builder().startedImmediately().build();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        health.close();
        keepAlive.close();
    }

    private JdbcDataSource h2(String user, String password) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:" + db);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    @Test
    void aWorkingDatabaseIsUpWithProductVersionAndValidationTime() {
        CheckResult r = DataSourceCheck.of(h2("sa", SECRET)).check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data())
                .containsEntry("database", "H2")
                .containsEntry("validation", "isValid")
                .containsKey("validationMs");
        assertThat((String) r.data().get("databaseVersion")).startsWith("2.");
        assertThat(r.data()).doesNotContainKey("pool.active"); // a plain data source is no pool
    }

    @Test
    void aValidationQueryIsRunInsteadOfIsValid() throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE heartbeat(id INT)");
        }
        CheckResult ok = DataSourceCheck.builder(h2("sa", SECRET))
                .validationQuery("SELECT count(*) FROM heartbeat")
                .build()
                .check();
        CheckResult broken = DataSourceCheck.builder(h2("sa", SECRET))
                .validationQuery("SELECT * FROM no_such_table")
                .build()
                .check();

        assertThat(ok.status()).isEqualTo(Status.UP);
        assertThat(ok.data()).containsEntry("validation", "query");
        assertThat(broken.status()).isEqualTo(Status.DOWN);
        assertThat(broken.message()).contains("NO_SUCH_TABLE").contains("[SQLState 42S02, vendor code 42102]");
        assertThat(broken.data())
                .containsEntry("failure", "sql")
                .containsEntry("sqlState", "42S02")
                .containsEntry("vendorCode", 42102);
    }

    @Test
    void wrongCredentialsAreDownWithoutThePasswordAnywhere() {
        String wrong = "wrong-" + SECRET;
        CheckResult r = DataSourceCheck.of(h2("sa", wrong)).check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("failure", "authentication").containsEntry("sqlState", "28000");
        assertThat(r.message())
                .contains("Wrong user name or password")
                .doesNotContain(wrong)
                .doesNotContain(SECRET);
        assertThat(r.data().values())
                .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(SECRET));
    }

    @Test
    void credentialsThatADriverQuotesFromItsUrlAreStripped() {
        // H2 rejects both URLs and quotes (part of) them, secret included, in its exception message
        JdbcDataSource misparsed = new JdbcDataSource();
        misparsed.setURL("jdbc:h2:tcp://admin:" + SECRET + "@localhost:1/" + db);
        JdbcDataSource relative = new JdbcDataSource();
        relative.setURL("jdbc:h2:zip:admin:" + SECRET + "@archive.zip!/" + db);

        CheckResult a = DataSourceCheck.of(misparsed).check();
        CheckResult b = DataSourceCheck.of(relative).check();

        assertThat(a.status()).isEqualTo(Status.DOWN);
        assertThat(a.message())
                .contains("NumberFormatException")
                .contains("***@localhost:1")
                .doesNotContain(SECRET);
        assertThat(b.status()).isEqualTo(Status.DOWN);
        assertThat(b.message()).contains("\"jdbc:h2:***@archive.zip!/").doesNotContain(SECRET);
        assertThat(a.data().values())
                .allSatisfy(v -> assertThat(String.valueOf(v)).doesNotContain(SECRET));
    }

    @Test
    void registeredInARegistryItIsAReadinessDatastoreCheck() {
        DataSourceCheck check = DataSourceCheck.of(h2("sa", SECRET));
        health.register("db", check);

        HealthReport ready = health.evaluate(Probe.READINESS);

        assertThat(check.kind()).isEqualTo(CheckKind.DATASTORE);
        assertThat(ready.outcome()).isEqualTo(Outcome.UP);
        CheckEntry db = ready.checks().get(0);
        assertThat(db.kind()).isEqualTo(CheckKind.DATASTORE);
        assertThat(db.data()).containsEntry("database", "H2");
        assertThatThrownBy(() -> health.register(
                        "db-live",
                        check,
                        CheckPolicy.builder().probes(Probe.LIVENESS).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("liveness");
    }

    @Test
    void aClosedDatabaseIsDownAndTheRegistryAnswersServiceUnavailable() throws SQLException {
        health.register(
                "db",
                DataSourceCheck.of(h2("sa", SECRET)),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);

        try (Statement s = keepAlive.createStatement()) {
            s.execute("CREATE TABLE marker(id INT)");
        }
        JdbcDataSource existingOnly = h2("sa", SECRET);
        existingOnly.setURL("jdbc:h2:" + db + ";IFEXISTS=TRUE");
        health.register(
                "db-existing",
                DataSourceCheck.builder(existingOnly)
                        .validationQuery("SELECT count(*) FROM marker")
                        .build(),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);

        try (Statement s = keepAlive.createStatement()) {
            s.execute("SHUTDOWN"); // the in-memory database is gone
        }
        HealthReport report = health.evaluate(Probe.READINESS);

        assertThat(report.outcome()).isEqualTo(Outcome.DOWN);
        CheckEntry existing = report.checks().get(1);
        assertThat(existing.status()).isEqualTo(Status.DOWN);
        assertThat(existing.data()).containsKey("sqlState");
    }

    @Test
    void builderRejectsNonsense() {
        JdbcDataSource ds = h2("sa", SECRET);
        assertThatThrownBy(() -> DataSourceCheck.builder(ds).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSourceCheck.builder(ds).minAvailable(1.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSourceCheck.builder(ds).validationQuery(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DataSourceCheck.builder(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("dataSource");
    }
}
