package db.migration;

import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Stands in for a long data migration: takes the Flyway placeholder {@code migration-seconds}
 * ({@code spring.flyway.placeholders.migration-seconds}, 5 in {@code application.properties}) before filling the
 * table. Meanwhile the starter holds the {@code schema-migration} lock and readiness answers 423.
 */
public class V2__SlowBackfill extends BaseJavaMigration {
    @Override
    public void migrate(Context context) throws Exception {
        String value = context.getConfiguration().getPlaceholders().getOrDefault("migration-seconds", "5");
        long seconds = Long.parseLong(value.trim());
        Thread.sleep(Math.max(0, Math.min(seconds, 3600)) * 1000);
        try (Statement s = context.getConnection().createStatement()) {
            s.execute("INSERT INTO inventory (id, name, stock) VALUES (1, 'widget', 12), (2, 'gadget', 40)");
        }
    }
}
