package io.vigil.health.kafka;

import static org.awaitility.Awaitility.await;

import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.Ports;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) in a JVM of its own, started from the
 * {@code kafka_2.13} artifact on the test class path: stopping it is a real outage. Three listeners on free ports:
 * plain, plain but advertised through a {@link BlackHoleProxy} (so every connection of a client bootstrapped there
 * passes the proxy), and SASL/PLAIN with one user ({@link #USER}/{@link #PASSWORD}).
 */
final class KafkaBroker implements AutoCloseable {
    static final String USER = "vigil";
    static final String PASSWORD = "s3cret-kafka-pw";
    private final Path dir;
    private final Path properties;
    private final int plainPort = Ports.free();
    private final int proxiedPort = Ports.free();
    private final int saslPort = Ports.free();
    private final int controllerPort = Ports.free();
    private final BlackHoleProxy proxy;
    private Process process;

    private KafkaBroker(Path dir) throws IOException {
        this.dir = dir;
        this.proxy = new BlackHoleProxy("127.0.0.1", proxiedPort);
        this.properties = dir.resolve("server.properties");
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put(
                "listeners",
                "PLAIN://127.0.0.1:" + plainPort + ",PROXIED://127.0.0.1:" + proxiedPort + ",SASL://127.0.0.1:"
                        + saslPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put(
                "advertised.listeners",
                "PLAIN://127.0.0.1:" + plainPort + ",PROXIED://127.0.0.1:" + proxy.port() + ",SASL://127.0.0.1:"
                        + saslPort);
        p.put(
                "listener.security.protocol.map",
                "PLAIN:PLAINTEXT,PROXIED:PLAINTEXT,SASL:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAIN");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("sasl.enabled.mechanisms", "PLAIN");
        p.put(
                "listener.name.sasl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule" + " required user_" + USER + "=\"" + PASSWORD
                        + "\";");
        p.put("log.dirs", dir.resolve("data").toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("delete.topic.enable", "true");
        try (var out = Files.newOutputStream(properties)) {
            p.store(out, "test broker");
        }
    }

    /** Formats a fresh data directory and starts the broker; returns once it answers. */
    static KafkaBroker start(Path dir) throws Exception {
        KafkaBroker broker = new KafkaBroker(dir);
        int rc = broker.java(
                        "kafka.tools.StorageTool",
                        "format",
                        "-t",
                        Uuid.randomUuid().toString(),
                        "-c",
                        broker.properties.toString())
                .waitFor();
        if (rc != 0) {
            throw new IllegalStateException(
                    "kafka storage format failed (" + rc + "): " + Files.readString(broker.dir.resolve("kafka.log")));
        }
        broker.restart();
        return broker;
    }

    /** Starts the broker process again (same ports, same data) and waits until it answers. */
    void restart() throws IOException {
        process = java("kafka.Kafka", properties.toString());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", plainBootstrap()))) {
            await("Kafka answers")
                    .atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(
                                    "Kafka exited: " + Files.readString(dir.resolve("kafka.log")));
                        }
                        return admin.describeCluster()
                                        .nodes()
                                        .get(2, TimeUnit.SECONDS)
                                        .size()
                                == 1;
                    });
        }
    }

    /** Stops the broker process (SIGTERM, then SIGKILL after 30 s). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    String plainBootstrap() {
        return "127.0.0.1:" + plainPort;
    }

    /** @return a bootstrap address whose every connection, the broker's advertised one too, passes the proxy */
    String proxiedBootstrap() {
        return "127.0.0.1:" + proxy.port();
    }

    String saslBootstrap() {
        return "127.0.0.1:" + saslPort;
    }

    BlackHoleProxy proxy() {
        return proxy;
    }

    private Process java(String main, String... args) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xms128m",
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                main));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("kafka.log").toFile()))
                .start();
    }

    @Override
    public void close() {
        try {
            stop();
            proxy.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
