package io.vigil.health.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.TcpConnections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RabbitMQ check against a real node (Debian's rabbitmq-server, one per class, on free ports): what it reports,
 * and faults made for real — a memory alarm raised with rabbitmqctl, wrong credentials, the node stopped and
 * started, the network stalled by a proxy. Every test leaves the node as it found it.
 */
class RabbitMqCheckTest {
    private static final int TIMED_OUT_PROBES = 100;

    @TempDir
    static Path dir;

    private static RabbitMqBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = RabbitMqBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static CheckResult run(RabbitMqCheck check) {
        return check.check(CheckContext.within(Duration.ofSeconds(5)));
    }

    private static HealthRegistry registry(RabbitMqCheck check, Duration timeout) {
        HealthRegistry health = HealthRegistry.builder().startedImmediately().build();
        health.register(
                "rabbitmq",
                check,
                CheckPolicy.builder().timeout(timeout).cacheTtl(Duration.ZERO).build());
        return health;
    }

    @Test
    void anOwnConnectionIsUpAndStaysOneConnectionForAnyNumberOfProbesUntilClosed() throws Exception {
        // through a forwarding proxy of its own: the connections to its port are this check's alone
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", broker.port())) {
            try (RabbitMqCheck check = RabbitMqCheck.builder(broker.factory(proxy.port(), RabbitMqBroker.PASSWORD))
                    .build()) {
                for (int i = 0; i < 20; i++) {
                    CheckResult r = run(check);
                    assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
                    assertThat(r.message()).startsWith("connected to RabbitMQ 3.");
                }
                assertThat(TcpConnections.establishedTo(proxy.port()))
                        .as("connections of the check")
                        .isEqualTo(1);
            }
            await("close() closes the connection")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> TcpConnections.establishedTo(proxy.port()) == 0);
        }
    }

    @Test
    void queuesAreDeclaredPassivelyWithDepthAndConsumerThresholdsOnAChannelClosedAfterEachRun() throws Exception {
        try (Connection app = broker.factory().newConnection("app")) {
            Channel setup = app.createChannel();
            setup.queueDeclare("orders", true, false, false, null);
            setup.queueDeclare("orders.dlq", true, false, false, null);
            setup.queuePurge("orders.dlq");
            for (int i = 0; i < 5; i++) {
                setup.basicPublish("", "orders.dlq", null, ("dead " + i).getBytes(StandardCharsets.UTF_8));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> setup.messageCount("orders.dlq") == 5);

            try (RabbitMqCheck check = RabbitMqCheck.builder(app)
                    .queue("orders.dlq", 3, 0)
                    .queue("orders", Long.MAX_VALUE, 1)
                    .queue("missing")
                    .build()) {
                CheckResult r = run(check);
                assertThat(r.status()).isEqualTo(Status.DOWN);
                assertThat(r.message())
                        .isEqualTo("queue missing does not exist; queue orders.dlq holds 5 messages"
                                + " (more than 3); queue orders has 0 consumer(s) (fewer than 1)");
                assertThat(r.data()).containsEntry("orders.dlq.messages", 5).containsEntry("orders.consumers", 0);
                assertThat(app.isOpen())
                        .as("a missing queue closes a channel, never the connection")
                        .isTrue();
            }

            String tag = setup.basicConsume("orders", true, new DefaultConsumer(setup));
            try (RabbitMqCheck check = RabbitMqCheck.builder(app)
                    .queue("orders.dlq", 10, 0)
                    .queue("orders", Long.MAX_VALUE, 1)
                    .build()) {
                CheckResult r = run(check);
                assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
                assertThat(r.data()).containsEntry("orders.consumers", 1).containsEntry("blocked", false);
                // the app's own channel only: the check's channels are closed (the node drops them asynchronously)
                await("the check's channels are closed")
                        .atMost(Duration.ofSeconds(10))
                        .untilAsserted(
                                () -> assertThat(broker.ctl("list_channels", "--no-table-headers", "name", "number")
                                                .lines()
                                                .filter(l -> !l.isBlank())
                                                .toList())
                                        .hasSize(1));
            } finally {
                setup.basicCancel(tag);
            }
        }
    }

    @Test
    void aMemoryAlarmRaisedForRealBlocksTheApplicationsPublishingConnectionAndTheCheckIsDegraded() throws Exception {
        try (Connection app = broker.factory().newConnection("publisher");
                RabbitMqCheck check = RabbitMqCheck.builder(app).build()) {
            assertThat(run(check).status()).isEqualTo(Status.UP);
            Channel channel = app.createChannel();
            broker.ctl("set_vm_memory_high_watermark", "0.0001");
            try {
                // the broker blocks a connection when it publishes during an alarm
                channel.basicPublish("", "nowhere", null, "during the alarm".getBytes(StandardCharsets.UTF_8));
                await("the broker blocks the publisher")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> run(check).status() == Status.DEGRADED);
                CheckResult r = run(check);
                assertThat(r.message())
                        .isEqualTo("connection blocked by the broker: low on memory" + " (publishers are stalled)");
                assertThat(r.data()).containsEntry("blocked", true);
            } finally {
                broker.ctl("set_vm_memory_high_watermark", "0.4");
            }
            await("the alarm clears")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> run(check).status() == Status.UP);
        }
    }

    @Test
    void wrongCredentialsAreDownNamingTheRefusalAndNeverThePassword() {
        String wrong = "wrong-" + RabbitMqBroker.PASSWORD;
        try (RabbitMqCheck check =
                RabbitMqCheck.builder(broker.factory(broker.port(), wrong)).build()) {
            CheckResult r = run(check);

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("RabbitMQ refused the credentials: ")
                    .contains("ACCESS_REFUSED")
                    .doesNotContain(wrong)
                    .doesNotContain(RabbitMqBroker.PASSWORD);
            assertThat(String.valueOf(r.error())).doesNotContain(RabbitMqBroker.PASSWORD);
        }
    }

    @Test
    void aStoppedNodeIsDownWithTheCauseAndUpAgainOnceRestartedWithoutRestartingTheApplication() throws Exception {
        try (RabbitMqCheck check = RabbitMqCheck.builder(broker.factory()).build();
                HealthRegistry health = registry(check, Duration.ofSeconds(2))) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);

            broker.stop();
            CheckEntry down = health.evaluate(Probe.READINESS).checks().get(0);
            assertThat(down.status()).isEqualTo(Status.DOWN);
            assertThat(down.message()).matches("connection closed: .*|cannot connect to RabbitMQ: .*");
            assertThat(health.evaluate(Probe.READINESS).checks().get(0).message())
                    .startsWith("cannot connect to RabbitMQ: ConnectException");

            broker.restart();
            await("the same check sees the node back")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
        }
    }

    @Test
    void aHundredProbesTimedOutByAStallLeaveNoConnectionChannelThreadOrDescriptorBehind() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", broker.port());
                RabbitMqCheck check = RabbitMqCheck.builder(broker.factory(proxy.port(), RabbitMqBroker.PASSWORD))
                        .queue("orders")
                        .build();
                // the same check under two registrations: time enough to connect, and a tight one for the stall
                HealthRegistry patient = registry(check, Duration.ofSeconds(2));
                HealthRegistry tight = registry(check, Duration.ofMillis(200))) {
            // 200 ms: the engine keeps a fifth (40 ms) of it for reporting after the check's own deadline; with
            // 100 ms (20 ms) a pool thread starved by concurrent builds on 2 cores sometimes woke after the engine's
            // deadline (seen once on JDK 25 under load)
            try (Connection setup = broker.factory().newConnection()) { // the client library's classes, loaded once
                setup.createChannel().queueDeclare("orders", true, false, false, null);
            }
            assertThat(patient.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            for (int i = 0; i < 10; i++) { // the client's per-connection work pool grows to its fixed size
                assertThat(patient.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            }
            // the tight registry's first evaluations start its engine threads: not what the stall is about
            await("the tight registry answers UP")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> tight.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            int connections = TcpConnections.establishedTo(proxy.port());
            long threads = checkSideThreads();
            long descriptors = TcpConnections.openFileDescriptors();
            assertThat(connections).isEqualTo(1);

            proxy.stall();
            for (int i = 0; i < TIMED_OUT_PROBES; i++) {
                CheckEntry e = tight.evaluate(Probe.READINESS).checks().get(0);
                assertThat(e.status()).isEqualTo(Status.DOWN);
                assertThat(e.message()).as("the check's own diagnosis").startsWith("no answer from RabbitMQ to ");
            }
            assertThat(TcpConnections.establishedTo(proxy.port()))
                    .as("connections during the stall")
                    .isLessThanOrEqualTo(connections);
            assertThat(checkSideThreads())
                    .as(() -> "threads after the stalled probes " + threadNames())
                    .isLessThanOrEqualTo(threads);

            proxy.forward();
            await("the check answers again")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> patient.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            await("nothing of the stall stays behind")
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> {
                        assertThat(TcpConnections.establishedTo(proxy.port())).isLessThanOrEqualTo(connections);
                        assertThat(checkSideThreads())
                                .as(() -> threadNames().toString())
                                .isLessThanOrEqualTo(threads);
                        assertThat(TcpConnections.openFileDescriptors()).isLessThanOrEqualTo(descriptors);
                        assertThat(broker.ctl("list_channels", "--no-table-headers", "name")
                                        .lines()
                                        .filter(l -> !l.isBlank())
                                        .count())
                                .as("channels on the node")
                                .isZero();
                    });
        }
    }

    private static java.util.List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .sorted()
                .toList();
    }

    /**
     * Threads of the JVM but the proxy's (a cached pool), Awaitility's pollers and the two registries' engine threads
     * (bounded by the engine, started lazily): the client's and the check's.
     */
    private static long checkSideThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> !n.startsWith("black-hole-proxy")
                        && !n.startsWith("awaitility")
                        && !n.startsWith("vigil-health-"))
                .count();
    }
}
