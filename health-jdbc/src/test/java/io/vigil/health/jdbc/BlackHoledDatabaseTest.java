package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedPostgresServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** PostgreSQL behind a TCP proxy that stops answering: existing connections stall, new ones hang in the handshake. */
class BlackHoledDatabaseTest {
    private static final int PROBES = 60;
    private static final int CALLERS = 10;
    private final EmbeddedPostgresServer pg = EmbeddedPostgresServer.shared();
    private BlackHoleProxy proxy;
    private HealthRegistry health;

    @BeforeEach
    void startProxy() throws Exception {
        proxy = new BlackHoleProxy("localhost", pg.port());
        health = HealthRegistry.builder().startedImmediately().build();
    }

    @AfterEach
    void stopProxy() throws Exception {
        health.close();
        proxy.close();
    }

    @Test
    void aPooledCheckTimesOutWithinItsBoundAndThreadsStayBoundedOverManyProbes() throws Exception {
        HikariConfig config = Pools.poolConfig(proxy.port(), 4);
        config.setMinimumIdle(2);
        // the driver's own bound for the connection attempts the pool makes in the background
        config.addDataSourceProperty("socketTimeout", "3");
        try (HikariDataSource pool = new HikariDataSource(config)) {
            DataSourceCheck check =
                    DataSourceCheck.builder(pool).timeout(Duration.ofSeconds(1)).build();
            health.register(
                    "db",
                    check,
                    CheckPolicy.builder()
                            .timeout(Duration.ofSeconds(2))
                            .cacheTtl(Duration.ZERO)
                            .build());
            assertThat(health.evaluate(Probe.READINESS).outcome().isPassing()).isTrue();

            proxy.blackHole();

            await("readiness DOWN once the database stops answering")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.DOWN);

            // the check bounds itself: called directly, it returns (its thread is freed) instead of hanging
            CompletableFuture<CheckResult> direct = Background.supply(check::check);
            await("the check returns by itself").atMost(Duration.ofSeconds(10)).until(direct::isDone);
            assertThat(direct.get().status()).isEqualTo(Status.DOWN);
            assertThat(direct.get().data().get("failure")).isIn("timeout", "connection");

            assertProbesKeepThreadsBounded();
        }
    }

    @Test
    void aDirectCheckWithDriverTimeoutsReportsATimeoutAndLeavesNoThreadBehind() throws Exception {
        PGSimpleDataSource ds = EmbeddedPostgresServer.dataSource(
                EmbeddedPostgresServer.APP_USER, EmbeddedPostgresServer.APP_PASSWORD, proxy.port());
        ds.setLoginTimeout(1); // the caller stops waiting for the handshake
        ds.setSocketTimeout(2); // the driver's connect thread stops waiting too
        DataSourceCheck check =
                DataSourceCheck.builder(ds).timeout(Duration.ofSeconds(1)).build();
        health.register(
                "db",
                check,
                CheckPolicy.builder()
                        .timeout(Duration.ofSeconds(2))
                        .cacheTtl(Duration.ZERO)
                        .build());
        assertThat(health.evaluate(Probe.READINESS).outcome().isPassing()).isTrue();

        proxy.blackHole();

        HealthReport down = health.evaluate(Probe.READINESS);
        CheckEntry db = down.checks().get(0);
        assertThat(down.outcome()).isEqualTo(Outcome.DOWN);
        assertThat(db.data()).containsEntry("failure", "timeout");
        assertThat(db.message()).startsWith("timed out: ");

        assertProbesKeepThreadsBounded();
        await("the driver's abandoned connect threads end")
                .atMost(Duration.ofSeconds(10))
                .until(() -> threads("PostgreSQL JDBC driver connection thread") == 0);
    }

    /**
     * Probes many times from many callers while the database is black-holed; the JVM's threads (not counting
     * the proxy's) stay bounded: the engine runs one evaluation at a time and the check frees its thread.
     */
    private void assertProbesKeepThreadsBounded() throws Exception {
        ThreadPoolExecutor callers =
                new ThreadPoolExecutor(CALLERS, CALLERS, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>());
        callers.prestartAllCoreThreads();
        try {
            int before = threads(null);
            int acceptedBefore = proxy.acceptedConnections();
            List<Future<HealthReport>> probes = new ArrayList<>();
            for (int i = 0; i < PROBES; i++) {
                probes.add(callers.submit(() -> health.evaluate(Probe.READINESS)));
            }
            AtomicInteger peak = new AtomicInteger();
            await("all probes answered")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        peak.accumulateAndGet(threads(null), Math::max);
                        return probes.stream().allMatch(Future::isDone);
                    });
            for (Future<HealthReport> p : probes) {
                assertThat(p.get().outcome()).isEqualTo(Outcome.DOWN);
            }
            System.out.printf(
                    "black hole: %d probes from %d callers, threads before %d, peak %d,"
                            + " new proxy connections %d%n",
                    PROBES, CALLERS, before, peak.get(), proxy.acceptedConnections() - acceptedBefore);
            assertThat(proxy.acceptedConnections())
                    .as("the checks kept trying the database")
                    .isGreaterThan(acceptedBefore);
            assertThat(peak.get()).as("live threads while probing").isLessThanOrEqualTo(before + 6);
        } finally {
            callers.shutdownNow();
        }
    }

    private static int threads(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("black-hole-proxy"))
                .filter(t -> prefix == null || t.getName().startsWith(prefix))
                .count();
    }
}
