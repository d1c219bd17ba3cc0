package io.vigil.health.jdbc;

import io.vigil.health.HealthRegistry;
import io.vigil.health.Secrets;
import io.vigil.health.TaskLock;
import io.vigil.health.internal.util.Require;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a schema migration under a health lock: while it runs, readiness answers 423 Locked (liveness stays
 * 200, so Kubernetes does not restart a pod in the middle of a migration). Works with any migration tool
 * through a callback; the lock is released when the callback returns or throws. Logs the start, the end and
 * the duration. Immutable and thread-safe; one instance can run many migrations.
 *
 * <pre>{@code
 * SchemaMigration migration = SchemaMigration.builder(health).maxDuration(Duration.ofMinutes(30)).build();
 * MigrateResult result = migration.call(flyway::migrate);                          // Flyway
 * migration.run(() -> liquibase.update(new Contexts(), new LabelExpression()));     // Liquibase
 * }</pre>
 */
public final class SchemaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigration.class);

    private final HealthRegistry health;
    private final String lockName;
    private final String description;
    private final @Nullable Duration maxDuration;

    private SchemaMigration(Builder b) {
        this.health = b.health;
        this.lockName = b.lockName;
        this.description = b.description;
        this.maxDuration = b.maxDuration;
    }

    /**
     * @param health the registry whose readiness is locked
     * @return a builder: lock {@code schema-migration}, description "Migrating the database schema", no limit
     */
    public static Builder builder(HealthRegistry health) {
        return new Builder(Objects.requireNonNull(health, "health"));
    }

    /**
     * A migration step that returns a value (Flyway's {@code migrate()} returns its result).
     *
     * @param <T> what the step returns
     */
    @FunctionalInterface
    public interface Step<T> {
        /**
         * @return the tool's result
         * @throws Exception the tool's failure
         */
        T migrate() throws Exception;
    }

    /** A migration step that returns nothing (Liquibase's {@code update(...)}). */
    @FunctionalInterface
    public interface Action {
        /** @throws Exception the tool's failure */
        void migrate() throws Exception;
    }

    /**
     * Runs the step while holding the lock.
     *
     * @param step the migration
     * @param <T>  what it returns
     * @return what the step returned
     * @throws MigrationFailedException wrapping a checked exception of the step; unchecked exceptions and
     *                                  errors propagate unchanged. The lock is released either way.
     */
    public <T> T call(Step<T> step) {
        Objects.requireNonNull(step, "step");
        long start = System.nanoTime();
        try (TaskLock lock = health.lock(lockName, description, maxDuration)) {
            LOG.atInfo().addKeyValue("lock", lockName).log("schema migration started");
            T result = step.migrate();
            if (!lock.isHeld()) {
                LOG.atWarn()
                        .addKeyValue("lock", lockName)
                        .addKeyValue("maxDuration", maxDuration)
                        .log("schema migration outlived its lock; readiness was unlocked before it finished");
            }
            LOG.atInfo()
                    .addKeyValue("lock", lockName)
                    .addKeyValue("durationMs", millisSince(start))
                    .log("schema migration finished");
            return result;
        } catch (RuntimeException | Error e) {
            logFailure(start, e);
            throw e;
        } catch (Exception e) {
            logFailure(start, e);
            throw new MigrationFailedException(lockName + " failed: " + Secrets.describe(e), e);
        }
    }

    /**
     * Runs the action while holding the lock.
     *
     * @param action the migration
     * @throws MigrationFailedException as for {@link #call(Step)}
     */
    public void run(Action action) {
        Objects.requireNonNull(action, "action");
        call(() -> {
            action.migrate();
            return Boolean.TRUE; // a Step has a non-null result; an Action has none
        });
    }

    private void logFailure(long start, Throwable e) {
        LOG.atWarn()
                .addKeyValue("lock", lockName)
                .addKeyValue("durationMs", millisSince(start))
                .log("schema migration failed: {}", Secrets.describe(e));
        LOG.atDebug().setCause(io.vigil.health.Secrets.redacted(e)).log("schema migration failure");
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** A migration step threw a checked exception; the lock has been released. */
    public static final class MigrationFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MigrationFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Builds a {@link SchemaMigration}. Not thread-safe. */
    public static final class Builder {
        private final HealthRegistry health;
        private String lockName = "schema-migration";
        private String description = "Migrating the database schema";
        private @Nullable Duration maxDuration;

        Builder(HealthRegistry health) {
            this.health = health;
        }

        /**
         * @param name lock name shown to every caller of the readiness endpoint; default {@code schema-migration}
         * @return this builder
         */
        public Builder lockName(String name) {
            lockName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param text what is happening, e.g. "Migrating schema to v42"; shown only with details
         * @return this builder
         */
        public Builder description(String text) {
            description = Objects.requireNonNull(text, "text");
            return this;
        }

        /**
         * Releases the lock with a warning after this long even if the migration still runs, so a hung
         * migration never keeps the service unready forever; the remaining time is sent as {@code Retry-After}.
         * Default: no limit.
         *
         * @param value positive duration
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder maxDuration(Duration value) {
            maxDuration = Require.positive(value, "maxDuration");
            return this;
        }

        /** @return the helper */
        public SchemaMigration build() {
            return new SchemaMigration(this);
        }
    }
}
