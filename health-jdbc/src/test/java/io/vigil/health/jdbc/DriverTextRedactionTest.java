package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DriverTextRedactionTest {

    @Test
    void credentialsInJdbcUrlsOfEveryShapeAreRemoved() {
        assertThat(Jdbc.redact("cannot reach jdbc:oracle:thin:scott/tiger@db:1521/svc"))
                .isEqualTo("cannot reach jdbc:oracle:***@db:1521/svc");
        assertThat(Jdbc.redact("bad jdbc:mysql://app:tiger@db:3306/shop?password=tiger&ssl=true url"))
                .doesNotContain("tiger")
                .contains("jdbc:mysql://***@db:3306/shop");
        assertThat(Jdbc.redact("jdbc:sqlserver://db:1433;user=sa;password=tiger;encrypt=true"))
                .doesNotContain("tiger")
                .contains("jdbc:sqlserver://db:1433");
        assertThat(Jdbc.redact("jdbc:postgresql://db:5432/shop?user=app&password=tiger"))
                .doesNotContain("tiger");
    }

    @Test
    void textWithoutSecretsIsLeftAlone() {
        String refused = "Connection to localhost:5432 refused. Check that the hostname and port are correct";
        assertThat(Jdbc.redact(refused)).isEqualTo(refused);
        assertThat(Jdbc.redact("password authentication failed for user \"app\""))
                .isEqualTo("password authentication failed for user \"app\"");
    }

    @Test
    void failuresAreClassifiedBySqlStateAndCause() {
        assertThat(Jdbc.classify(new SQLException("x", "28P01"))).isEqualTo("authentication");
        assertThat(Jdbc.classify(new SQLException("x", "08001"))).isEqualTo("connection");
        assertThat(Jdbc.classify(new SQLException("x", "57014"))).isEqualTo("timeout");
        assertThat(Jdbc.classify(new SQLTimeoutException("x"))).isEqualTo("timeout");
        assertThat(Jdbc.classify(new SQLException("io", "08006", new SocketTimeoutException("Read timed out"))))
                .isEqualTo("timeout");
        assertThat(Jdbc.classify(new SQLException("x", "42P01"))).isEqualTo("sql");
    }

    @Test
    void jdbcTimeoutsAreWholeSecondsRoundedUp() {
        assertThat(Jdbc.seconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(Jdbc.seconds(Duration.ofMillis(1000))).isEqualTo(1);
        assertThat(Jdbc.seconds(Duration.ofMillis(1001))).isEqualTo(2);
    }
}
