package io.vigil.health.rabbitmq;

import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.vigil.health.test.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real RabbitMQ node from Debian's {@code rabbitmq-server}, private to the test: its own node name, free AMQP and
 * distribution ports, its data, logs, configuration and Erlang cookie under the test's directory. When the package
 * is missing the tests are skipped, unless {@code VIGIL_REQUIRE_RABBITMQ=true} (CI) makes that a failure.
 */
final class RabbitMqBroker implements AutoCloseable {
    static final String USER = "vigil";
    static final String PASSWORD = "s3cret-rabbit-pw";
    private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");
    private final Path dir;
    private final String node = "vigil-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
    private final int port = Ports.free();
    private final int distPort = Ports.free();
    private Process process;

    private RabbitMqBroker(Path dir) throws IOException {
        this.dir = dir;
        Files.writeString(
                dir.resolve("rabbitmq.conf"),
                String.join(
                        "\n",
                        "listeners.tcp.default = 127.0.0.1:" + port,
                        "default_user = " + USER,
                        "default_pass = " + PASSWORD,
                        "loopback_users = none",
                        "vm_memory_high_watermark.relative = 0.4",
                        "disk_free_limit.absolute = 1MB",
                        ""));
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
    }

    /** Skips (or fails, in CI) when Debian's rabbitmq-server is not installed. */
    static void assumeInstalled() {
        boolean present = Files.isExecutable(BIN.resolve("rabbitmq-server"));
        if (!present && "true".equals(System.getenv("VIGIL_REQUIRE_RABBITMQ"))) {
            Assertions.fail("VIGIL_REQUIRE_RABBITMQ=true but Debian's rabbitmq-server is not installed"
                    + " (apt-get install rabbitmq-server)");
        }
        Assumptions.assumeTrue(
                present,
                "Debian's rabbitmq-server is not installed (apt-get install rabbitmq-server):"
                        + " the RabbitMQ tests are skipped");
    }

    static RabbitMqBroker start(Path dir) throws IOException {
        assumeInstalled();
        RabbitMqBroker broker = new RabbitMqBroker(dir);
        broker.restart();
        return broker;
    }

    /** Starts the node (again: same ports, same data) and returns once it accepts an AMQP connection. */
    void restart() throws IOException {
        ProcessBuilder b = new ProcessBuilder(BIN.resolve("rabbitmq-server").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("rabbitmq.out").toFile()));
        b.environment().putAll(env());
        process = b.start();
        await("RabbitMQ accepts connections")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "rabbitmq-server exited: " + Files.readString(dir.resolve("rabbitmq.out")));
                    }
                    try (Connection c = factory().newConnection()) {
                        return c.isOpen();
                    }
                });
    }

    /** Stops the node (rabbitmqctl stop, which waits for it) and its process. */
    void stop() {
        ctl("stop");
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code rabbitmqctl -n <node> args…} and returns its output; fails the test if it fails. */
    String ctl(String... args) {
        List<String> command =
                new ArrayList<>(List.of(BIN.resolve("rabbitmqctl").toString(), "-n", node, "-q"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
            b.environment().putAll(env());
            Process p = b.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("rabbitmqctl " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Map<String, String> env() {
        return Map.ofEntries(
                Map.entry("HOME", dir.toString()), // the Erlang cookie, shared by the node and rabbitmqctl
                Map.entry("RABBITMQ_NODENAME", node),
                Map.entry("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1"),
                Map.entry("RABBITMQ_NODE_PORT", Integer.toString(port)),
                Map.entry("RABBITMQ_DIST_PORT", Integer.toString(distPort)),
                Map.entry("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString()),
                Map.entry("RABBITMQ_LOG_BASE", dir.resolve("log").toString()),
                Map.entry(
                        "RABBITMQ_FEATURE_FLAGS_FILE",
                        dir.resolve("feature_flags").toString()),
                Map.entry("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString()),
                Map.entry(
                        "RABBITMQ_ADVANCED_CONFIG_FILE",
                        dir.resolve("advanced.config").toString()),
                Map.entry(
                        "RABBITMQ_ENABLED_PLUGINS_FILE",
                        dir.resolve("enabled_plugins").toString()),
                Map.entry("RABBITMQ_PID_FILE", dir.resolve("rabbitmq.pid").toString()));
    }

    ConnectionFactory factory() {
        return factory(port, PASSWORD);
    }

    ConnectionFactory factory(int viaPort, String password) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(viaPort);
        f.setUsername(USER);
        f.setPassword(password);
        return f;
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
