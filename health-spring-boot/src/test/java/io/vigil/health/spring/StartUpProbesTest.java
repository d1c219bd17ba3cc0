package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import db.migration.V2__SlowBackfill;
import io.vigil.health.test.Background;
import io.vigil.health.test.EmbeddedPostgresServer;
import io.vigil.health.test.Ports;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Probes on {@code vigil.health.port} answer from before the context refreshes: during a real Flyway migration
 * against PostgreSQL startup is 503, readiness 423 (the {@code schema-migration} lock), liveness 200; afterwards all
 * 200. A second replica that waits for the first one's Flyway lock shows 423 too.
 */
class StartUpProbesTest {

    private static CompletableFuture<ConfigurableApplicationContext> startApp(EmbeddedPostgresServer pg, int port) {
        return Background.supply(() -> BootApps.start(
                c -> {},
                new Class<?>[0],
                "spring.autoconfigure.exclude=",
                "spring.datasource.url=" + pg.url("startup"),
                "spring.datasource.username=postgres",
                "vigil.health.port=" + port));
    }

    @Test
    void aLiquibaseChangeRunsUnderTheSchemaMigrationLockToo() throws Exception {
        URI probes = Http.local(Ports.free());
        CompletableFuture<ConfigurableApplicationContext> app = Background.supply(() -> BootApps.start(
                c -> {},
                new Class<?>[0],
                "spring.autoconfigure.exclude=",
                "spring.flyway.enabled=false",
                "spring.liquibase.enabled=true",
                "spring.liquibase.change-log=classpath:liquibase/slow.yaml",
                "spring.datasource.url=jdbc:h2:mem:liquibase;DB_CLOSE_DELAY=-1",
                "vigil.health.port=" + probes.getPort()));
        ConfigurableApplicationContext context = null;
        try {
            assertThat(SlowLiquibaseChange.RUNNING.await(60, TimeUnit.SECONDS)).isTrue();
            var ready = Http.get(probes, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(423);
            assertThat(ready.body()).contains("\"name\":\"schema-migration\"");
            assertThat(Http.status(probes, "/health/live")).isEqualTo(200);
        } finally {
            SlowLiquibaseChange.RELEASE.countDown();
            context = app.get(60, TimeUnit.SECONDS);
        }
        try {
            assertThat(Http.status(probes, "/health/ready")).isEqualTo(200);
        } finally {
            context.close();
        }
    }

    @Test
    void probesAnswerFromTheFirstSecondThroughAMigrationUnderTheSchemaMigrationLock() throws Exception {
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
        pg.execute("CREATE DATABASE startup");
        URI first = Http.local(Ports.free());
        URI second = Http.local(Ports.free());
        CompletableFuture<ConfigurableApplicationContext> a = startApp(pg, first.getPort());
        CompletableFuture<ConfigurableApplicationContext> b = null;
        ConfigurableApplicationContext contextA = null;
        ConfigurableApplicationContext contextB = null;
        try {
            assertThat(V2__SlowBackfill.RUNNING.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(Http.status(first, "/health/started")).isEqualTo(503);
            var ready = Http.get(first, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(423);
            assertThat(ready.body()).contains("\"name\":\"schema-migration\"");
            assertThat(Http.status(first, "/health/live")).isEqualTo(200);

            // a second replica: its Flyway waits for the first one's database lock, under its own health lock
            b = startApp(pg, second.getPort());
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(() -> Http.status(second, "/health/ready") == 423);
            assertThat(Http.status(second, "/health/live")).isEqualTo(200);
            assertThat(Http.status(first, "/health/ready")).isEqualTo(423);
        } finally {
            V2__SlowBackfill.RELEASE.countDown();
            contextA = a.get(60, TimeUnit.SECONDS);
            if (b != null) {
                contextB = b.get(60, TimeUnit.SECONDS);
            }
        }
        try {
            for (URI probes : new URI[] {first, second}) {
                assertThat(Http.status(probes, "/health/ready")).isEqualTo(200);
                assertThat(Http.status(probes, "/health/started")).isEqualTo(200);
                assertThat(Http.status(probes, "/health/live")).isEqualTo(200);
            }
            assertThat(contextA.getBean(Flyway.class)
                            .info()
                            .current()
                            .getVersion()
                            .getVersion())
                    .isEqualTo("2");
            assertThat(contextB.getBean(Flyway.class).info().pending()).isEmpty();
        } finally {
            contextA.close();
            contextB.close();
        }
    }
}
