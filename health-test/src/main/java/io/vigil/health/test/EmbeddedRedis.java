package io.vigil.health.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code redis-server} process on loopback, started and stopped by a test. The binary is the one shipped
 * in {@code com.github.codemonstur:embedded-redis} for this OS and CPU (Redis 6.2 on Linux x86_64), else the
 * file named by the system property {@code vigil.redis.server}, else {@code redis-server} on the {@code PATH}.
 * The server keeps its port across {@link #stop()} and {@link #start()}, persists nothing unless told to, and is
 * killed when the JVM exits. Not thread-safe: drive it from the test thread.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass("s3cret").start()) {
 *     ... redis.port() ...
 *     redis.stop();  // now connections are refused
 *     redis.start(); // same port again
 * }
 * }</pre>
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Map<String, String> SHIPPED = Map.of(
            "linux-amd64", "redis-server-6.2.6-v5-linux-amd64",
            "linux-arm64", "redis-server-6.2.7-linux-arm64",
            "linux-386", "redis-server-6.2.7-linux-386",
            "mac-amd64", "redis-server-6.2.6-v5-darwin-amd64",
            "mac-arm64", "redis-server-6.2.6-v5-darwin-arm64");
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static volatile @Nullable Path executable;

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "embedded-redis-reaper"));
    }

    private final List<String> args;
    private final int port;
    private final Path dir;
    private @Nullable Process process;

    private EmbeddedRedis(Builder b) throws IOException {
        this.port = b.port == 0 ? Ports.free() : b.port;
        this.dir = b.dir != null ? b.dir : Files.createTempDirectory("embedded-redis-");
        List<String> a = new ArrayList<>();
        a.add(executable().toString());
        if (b.tlsCert != null && b.tlsKey != null) { // set together by tls(..)
            add(a, "port", "0");
            add(a, "tls-port", Integer.toString(port));
            add(a, "tls-cert-file", b.tlsCert.toString());
            add(a, "tls-key-file", b.tlsKey.toString());
            add(a, "tls-auth-clients", "no");
        } else {
            add(a, "port", Integer.toString(port));
        }
        add(a, "bind", "127.0.0.1");
        add(a, "dir", dir.toString());
        add(a, "save", "");
        add(a, "appendonly", "no");
        add(a, "daemonize", "no");
        if (b.password != null) {
            add(a, "requirepass", b.password);
        }
        if (b.masterPort > 0) {
            add(a, "replicaof", "127.0.0.1", Integer.toString(b.masterPort));
        }
        a.addAll(b.extra);
        this.args = List.copyOf(a);
    }

    private static void add(List<String> a, String name, String... values) {
        a.add("--" + name);
        a.addAll(List.of(values));
    }

    /** @return a builder: free port, no password, no persistence, plain TCP */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a default server.
     *
     * @return the running server
     */
    public static EmbeddedRedis startDefault() {
        return builder().start();
    }

    /**
     * The {@code redis-server} binary in use, extracted to a temporary file on first use.
     *
     * @return its path
     * @throws IllegalStateException if there is neither a shipped binary for this platform nor one on the PATH
     */
    public static synchronized Path executable() {
        if (executable != null) {
            return executable;
        }
        String explicit = System.getProperty("vigil.redis.server");
        if (explicit != null && !explicit.isBlank()) {
            executable = Path.of(explicit);
            return executable;
        }
        String resource = SHIPPED.get(platform());
        if (resource != null) {
            try (InputStream in = EmbeddedRedis.class.getClassLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    Path file = Files.createTempFile("redis-server-", "");
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    if (!file.toFile().setExecutable(true)) {
                        throw new IOException("cannot make " + file + " executable");
                    }
                    file.toFile().deleteOnExit();
                    executable = file;
                    return executable;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(java.io.File.pathSeparator, -1)) {
                Path candidate = Path.of(d, "redis-server");
                if (Files.isExecutable(candidate)) {
                    executable = candidate;
                    return executable;
                }
            }
        }
        throw new IllegalStateException("no redis-server for " + platform()
                + ": none shipped in embedded-redis, none on the PATH, -Dvigil.redis.server not set");
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String o = os.contains("linux") ? "linux" : os.contains("mac") ? "mac" : os;
        String c = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch;
        };
        return o + "-" + c;
    }

    /** @return {@code 127.0.0.1} */
    public String host() {
        return "127.0.0.1";
    }

    /** @return the port (TLS port when TLS is on) */
    public int port() {
        return port;
    }

    /** @return the working directory ({@code dir}), where an RDB file would be read and written */
    public Path dir() {
        return dir;
    }

    /** @return whether the process is alive */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** @return the server's log so far (for failure messages) */
    public String log() {
        try {
            Path log = dir.resolve("redis.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "log unreadable: " + e;
        }
    }

    /**
     * Starts the process (again) and waits, at most 20 s, until it accepts TCP connections. The server may
     * still be loading a dataset then.
     *
     * @return this
     * @throws IllegalStateException if it is running already, exits, or does not listen in time
     */
    public EmbeddedRedis start() {
        if (isRunning()) {
            throw new IllegalStateException("already running on port " + port);
        }
        try {
            process = new ProcessBuilder(args)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("redis.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RUNNING.add(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                RUNNING.remove(process);
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return this;
            } catch (IOException notYet) {
                try {
                    process.waitFor(20, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        stop();
        throw new IllegalStateException("redis-server did not listen on " + port + " within 20 s:\n" + log());
    }

    /** Stops the process (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. Idempotent. */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            RUNNING.remove(p);
            process = null;
        }
    }

    /** Stops the process and deletes its directory. */
    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp dir left behind is harmless
        }
    }

    /** Configures an {@link EmbeddedRedis}. Not thread-safe. */
    public static final class Builder {
        private int port;
        private @Nullable Path dir;
        private @Nullable String password;
        private int masterPort;
        private @Nullable Path tlsCert;
        private @Nullable Path tlsKey;
        private final List<String> extra = new ArrayList<>();

        Builder() {}

        /**
         * @param value the port; 0 (default) picks a free one
         * @return this builder
         */
        public Builder port(int value) {
            port = value;
            return this;
        }

        /**
         * @param value working directory (default: a new temporary directory)
         * @return this builder
         */
        public Builder dir(Path value) {
            dir = Objects.requireNonNull(value, "dir");
            return this;
        }

        /**
         * @param value the {@code requirepass} password
         * @return this builder
         */
        public Builder requirePass(String value) {
            password = Objects.requireNonNull(value, "requirePass");
            return this;
        }

        /**
         * @param masterPortOnLoopback port of the master on 127.0.0.1 to replicate
         * @return this builder
         */
        public Builder replicaOf(int masterPortOnLoopback) {
            masterPort = masterPortOnLoopback;
            return this;
        }

        /**
         * Serves TLS only, on {@link #port()}; clients are not asked for certificates.
         *
         * @param certificatePem the server certificate chain, PEM
         * @param privateKeyPem  its private key, PEM (PKCS#8)
         * @return this builder
         */
        public Builder tls(Path certificatePem, Path privateKeyPem) {
            tlsCert = Objects.requireNonNull(certificatePem, "certificatePem");
            tlsKey = Objects.requireNonNull(privateKeyPem, "privateKeyPem");
            return this;
        }

        /**
         * Any other {@code redis.conf} directive, passed as {@code --name values...}.
         *
         * @param name   directive name, e.g. {@code key-load-delay}
         * @param values its values
         * @return this builder
         */
        public Builder config(String name, String... values) {
            extra.add("--" + Objects.requireNonNull(name, "name"));
            extra.addAll(List.of(values));
            return this;
        }

        /**
         * Builds without starting.
         *
         * @return a stopped server; call {@link EmbeddedRedis#start()}
         */
        public EmbeddedRedis build() {
            try {
                return new EmbeddedRedis(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Builds and starts.
         *
         * @return the running server
         */
        public EmbeddedRedis start() {
            return build().start();
        }
    }
}
