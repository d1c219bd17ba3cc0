/**
 * Database checks for Vigil Health: {@link io.vigil.health.jdbc.DataSourceCheck} (connection validity with
 * HikariCP pool awareness), {@link io.vigil.health.jdbc.QueryThresholdCheck} with PostgreSQL presets in
 * {@link io.vigil.health.jdbc.PostgresChecks}, and {@link io.vigil.health.jdbc.SchemaMigration}, which holds
 * readiness at 423 while a migration runs. HikariCP is an optional dependency.
 */
@NullMarked
package io.vigil.health.jdbc;

import org.jspecify.annotations.NullMarked;
