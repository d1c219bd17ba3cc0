package io.vigil.health.example;

import io.vigil.health.HealthRegistry;
import io.vigil.health.Secrets;
import io.vigil.health.jdbc.SchemaMigration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up migration, run on its own thread under the health lock {@code schema-migration} (readiness 423,
 * startup 503, liveness 200): creates and seeds the {@code notes} table, then spends the configured simulated time.
 * When it has finished, the application is marked started. While the database cannot be reached it retries every
 * {@link #RETRY} (the startup probe's budget decides how long Kubernetes waits).
 */
final class StartupMigration implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(StartupMigration.class);
    static final Duration RETRY = Duration.ofSeconds(2);
    static final int CONNECT_ATTEMPTS = 3;
    /** Slack added to the simulated length for the lock's maximum duration. */
    static final Duration LOCK_SLACK = Duration.ofSeconds(30);

    private final HealthRegistry health;
    private final DataSource dataSource;
    private final Duration simulated;
    private final Hooks.Pause pause;
    private final SchemaMigration migration;
    private final CountDownLatch firstLock = new CountDownLatch(1);

    StartupMigration(HealthRegistry health, DataSource dataSource, Duration simulated, Hooks.Pause pause) {
        this.health = health;
        this.dataSource = dataSource;
        this.simulated = simulated;
        this.pause = pause;
        this.migration = SchemaMigration.builder(health)
                .description("Migrating schema to v42 (simulated: " + simulated.toSeconds() + " s)")
                .maxDuration(simulated.plus(LOCK_SLACK))
                .build();
    }

    /**
     * Waits until the first attempt holds its lock, so that no probe sees the service before the migration.
     *
     * @param timeout longest wait
     * @return whether the lock was taken in time
     * @throws InterruptedException when interrupted
     */
    boolean awaitFirstLock(Duration timeout) throws InterruptedException {
        return firstLock.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    migration.run(() -> {
                        firstLock.countDown();
                        createSchema();
                        pause.pause(simulated);
                    });
                    health.markStarted();
                    LOG.atInfo().log("start-up migration done: startup and readiness probes pass from now on");
                    return;
                } catch (SchemaMigration.MigrationFailedException e) {
                    if (e.getCause() instanceof InterruptedException) {
                        return;
                    }
                    LOG.atWarn()
                            .log(
                                    "start-up migration failed, retrying in {} s: {}",
                                    RETRY.toSeconds(),
                                    Secrets.describe(e.getCause()));
                } catch (RuntimeException e) {
                    LOG.atWarn()
                            .log(
                                    "start-up migration failed, retrying in {} s: {}",
                                    RETRY.toSeconds(),
                                    Secrets.describe(e));
                }
                Thread.sleep(RETRY.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            firstLock.countDown();
        }
    }

    /**
     * The pool's borrow timeout is as short as a health check's; on a cold start the first connection can take longer
     * (driver classes loading, an in-memory database being created), so the migration tries a few times before it
     * gives up and lets the outer loop retry.
     */
    private Connection connect() throws SQLException, InterruptedException {
        SQLException last = null;
        for (int attempt = 0; attempt < CONNECT_ATTEMPTS; attempt++) {
            try {
                return dataSource.getConnection();
            } catch (SQLException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw last;
    }

    private void createSchema() throws SQLException, InterruptedException {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(30);
            s.execute("CREATE TABLE IF NOT EXISTS notes (id INT PRIMARY KEY, text VARCHAR(200) NOT NULL)");
            long rows;
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM notes")) {
                rs.next();
                rows = rs.getLong(1);
            }
            if (rows == 0) {
                s.execute(
                        "INSERT INTO notes (id, text) VALUES (1, 'Readiness is 423 while a task holds a lock'),"
                                + " (2, 'Liveness never looks at dependencies'), (3, 'SIGTERM drains before the process exits')");
            }
        }
    }
}
