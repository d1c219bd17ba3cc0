package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.EmbeddedPostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ServerStoppedMidTestTest {
    private static EmbeddedPostgresServer pg;

    @BeforeAll
    static void startServer() {
        pg = EmbeddedPostgresServer.start(); // its own server: this test stops it
    }

    @AfterAll
    static void removeServer() {
        pg.close();
    }

    @Test
    void stoppingTheServerTurnsReadinessDownAndRestartingItTurnsItUpWithNothingElseRestarted() {
        CheckPolicy policy = CheckPolicy.builder()
                .timeout(Duration.ofSeconds(2))
                .cacheTtl(Duration.ZERO)
                .build();
        try (HikariDataSource pool = new HikariDataSource(Pools.poolConfig(pg.port(), 4));
                HealthRegistry health =
                        HealthRegistry.builder().startedImmediately().build()) {
            health.register("pooled", DataSourceCheck.of(pool), policy);
            health.register("direct", DataSourceCheck.of(pg.app()), policy);
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);

            pg.stop();

            await("readiness DOWN after the server stopped")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> bothDown(health.evaluate(Probe.READINESS)));
            HealthReport down = health.evaluate(Probe.READINESS);
            assertThat(down.outcome()).isEqualTo(Outcome.DOWN);
            assertThat(down.checks())
                    .allSatisfy(c -> assertThat(c.data().get("failure")).isIn("connection", "timeout"));
            assertThat(health.evaluate(Probe.LIVENESS).outcome().isPassing()).isTrue(); // no restart of the pod

            pg.restart();

            await("readiness UP after the server restarted")
                    .atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            HealthReport up = health.evaluate(Probe.READINESS);
            assertThat(up.checks()).extracting(CheckEntry::status).containsOnly(Status.UP);
            assertThat(up.checks().get(0).data())
                    .containsEntry("database", "PostgreSQL")
                    .containsKey("pool.total");
        }
    }

    private static boolean bothDown(HealthReport report) {
        return report.outcome() == Outcome.DOWN && report.checks().stream().allMatch(c -> c.status() == Status.DOWN);
    }
}
