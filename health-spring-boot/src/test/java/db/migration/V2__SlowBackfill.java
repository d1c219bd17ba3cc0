package db.migration;

import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A migration that runs until the test releases it (at most 60 s), so the test can look at the probes while a real
 * Flyway migration is in progress.
 */
public class V2__SlowBackfill extends BaseJavaMigration {
    /** Counted down when the migration starts. */
    public static final CountDownLatch RUNNING = new CountDownLatch(1);
    /** The test counts it down to let the migration finish. */
    public static final CountDownLatch RELEASE = new CountDownLatch(1);

    @Override
    public void migrate(Context context) throws Exception {
        RUNNING.countDown();
        RELEASE.await(60, TimeUnit.SECONDS);
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("INSERT INTO inventory VALUES (1, 'widget')");
        }
    }
}
