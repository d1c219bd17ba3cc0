package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class QueryThresholdCheckOnH2Test {
    private final JdbcDataSource ds = new JdbcDataSource();
    private Connection keepAlive;

    @BeforeEach
    void createQueueTable() throws SQLException {
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID());
        keepAlive = ds.getConnection();
        execute("CREATE TABLE jobs(id INT AUTO_INCREMENT PRIMARY KEY, state VARCHAR(10))");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        keepAlive.close();
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = keepAlive.createStatement()) {
            s.execute(sql);
        }
    }

    private void queue(int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            execute("INSERT INTO jobs(state) VALUES ('QUEUED')");
        }
    }

    private QueryThresholdCheck queueDepth() {
        return QueryThresholdCheck.builder(ds, "SELECT count(*), max(id) AS newest FROM jobs WHERE state = 'QUEUED'")
                .measurement("queuedJobs")
                .unit("jobs")
                .warnAbove(2)
                .failAbove(4)
                .build();
    }

    @Test
    void theValueIsComparedWithWarnAndFailThresholds() throws SQLException {
        CheckResult empty = queueDepth().check();
        queue(3);
        CheckResult busy = queueDepth().check();
        queue(2);
        CheckResult flooded = queueDepth().check();

        assertThat(empty.status()).isEqualTo(Status.UP);
        assertThat(empty.message()).isEqualTo("queuedJobs 0 jobs");
        assertThat(busy.status()).isEqualTo(Status.DEGRADED);
        assertThat(busy.message()).isEqualTo("queuedJobs 3 jobs is above the warning threshold 2 jobs");
        assertThat(flooded.status()).isEqualTo(Status.DOWN);
        assertThat(flooded.message()).isEqualTo("queuedJobs 5 jobs is above the failure threshold 4 jobs");
        assertThat(flooded.data())
                .containsEntry("queuedJobs", 5L)
                .containsEntry("unit", "jobs")
                .containsEntry("warnAbove", 2L)
                .containsEntry("failAbove", 4L)
                .containsEntry("NEWEST", 5L)
                .containsKey("queryMs");
    }

    @Test
    void aValueEqualToAThresholdDoesNotCrossIt() throws SQLException {
        queue(2);
        assertThat(queueDepth().check().status()).isEqualTo(Status.UP);
    }

    @Test
    void lowerIsWorseWithBelowThresholds() {
        QueryThresholdCheck freeSlots = QueryThresholdCheck.builder(ds, "SELECT 1.5")
                .measurement("freeSlots")
                .warnBelow(2)
                .failBelow(1)
                .build();
        QueryThresholdCheck none = QueryThresholdCheck.builder(ds, "SELECT 0.25")
                .warnBelow(2)
                .failBelow(1)
                .build();

        CheckResult low = freeSlots.check();
        CheckResult empty = none.check();

        assertThat(low.status()).isEqualTo(Status.DEGRADED);
        assertThat(low.message()).isEqualTo("freeSlots 1.5 is below the warning threshold 2");
        assertThat(low.data()).containsEntry("freeSlots", 1.5);
        assertThat(empty.status()).isEqualTo(Status.DOWN);
        assertThat(empty.message()).isEqualTo("value 0.25 is below the failure threshold 1");
    }

    @Test
    void noRowOrNullGivesTheConfiguredNoValueResult() {
        QueryThresholdCheck noRow = QueryThresholdCheck.builder(ds, "SELECT id FROM jobs")
                .warnAbove(1)
                .build();
        QueryThresholdCheck nullValue = QueryThresholdCheck.builder(ds, "SELECT max(id) FROM jobs")
                .whenNoValue(Status.DEGRADED, "no job yet")
                .build();

        CheckResult a = noRow.check();
        CheckResult b = nullValue.check();

        assertThat(a.status()).isEqualTo(Status.DOWN);
        assertThat(a.message()).isEqualTo("query returned no value");
        assertThat(b.status()).isEqualTo(Status.DEGRADED);
        assertThat(b.message()).isEqualTo("no job yet");
        assertThat(b.data()).doesNotContainKey("value");
    }

    @Test
    void aNonNumericValueOrABrokenQueryIsDown() {
        CheckResult text =
                QueryThresholdCheck.builder(ds, "SELECT 'many'").build().check();
        CheckResult broken = QueryThresholdCheck.builder(ds, "SELECT count(*) FROM no_such_table")
                .build()
                .check();

        assertThat(text.status()).isEqualTo(Status.DOWN);
        assertThat(text.message()).contains("not a number");
        assertThat(broken.status()).isEqualTo(Status.DOWN);
        assertThat(broken.data()).containsEntry("sqlState", "42S02").containsEntry("failure", "sql");
    }

    @Test
    void numericTextAndBooleansAreNumbers() {
        assertThat(QueryThresholdCheck.builder(ds, "SELECT '42'")
                        .warnAbove(41)
                        .build()
                        .check()
                        .status())
                .isEqualTo(Status.DEGRADED);
        assertThat(QueryThresholdCheck.builder(ds, "SELECT TRUE")
                        .failAbove(0)
                        .build()
                        .check()
                        .status())
                .isEqualTo(Status.DOWN);
    }

    @Test
    void inconsistentThresholdsAreRejected() {
        assertThatThrownBy(() -> QueryThresholdCheck.builder(ds, "SELECT 1")
                        .warnAbove(10)
                        .failAbove(5)
                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> QueryThresholdCheck.builder(ds, "SELECT 1")
                        .warnBelow(1)
                        .failBelow(5)
                        .build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> QueryThresholdCheck.builder(ds, "SELECT 1").warnAbove(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueryThresholdCheck.builder(ds, " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
