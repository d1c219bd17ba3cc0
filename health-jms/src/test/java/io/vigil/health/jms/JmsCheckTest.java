package io.vigil.health.jms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JMS check against a real, embedded ActiveMQ Artemis broker: answers, and faults made for real. */
class JmsCheckTest {
    private static final int TIMED_OUT_PROBES = 100;

    @TempDir
    static Path dir;

    private static ArtemisBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new ArtemisBroker(dir);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static CheckResult run(JmsCheck check) {
        return check.check(CheckContext.within(Duration.ofSeconds(5)));
    }

    private static HealthRegistry registry(JmsCheck check, Duration timeout) {
        HealthRegistry health = HealthRegistry.builder().startedImmediately().build();
        health.register(
                "jms",
                check,
                CheckPolicy.builder().timeout(timeout).cacheTtl(Duration.ZERO).build());
        return health;
    }

    @Test
    void aReachableBrokerIsUpAndOneConnectionServesEveryRunUntilClosed() throws Exception {
        // through a forwarding proxy of its own: the connections to its port are this check's alone
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", broker.port())) {
            try (JmsCheck check = JmsCheck.builder(ArtemisBroker.factory(proxy.port(), ArtemisBroker.PASSWORD))
                    .queue("orders")
                    .build()) {
                for (int i = 0; i < 20; i++) {
                    CheckResult r = run(check);
                    assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
                }
                assertThat(run(check).message()).startsWith("connected to ActiveMQ");
                assertThat(TcpConnections.establishedTo(proxy.port()))
                        .as("connections of the check")
                        .isEqualTo(1);
            }
            await("close() closes it")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> TcpConnections.establishedTo(proxy.port()) == 0);
        }
    }

    @Test
    void aMissingQueueIsDownNamingIt() {
        try (JmsCheck check = JmsCheck.builder(ArtemisBroker.factory(broker.port(), ArtemisBroker.PASSWORD))
                .queue("orders")
                .queue("invoices")
                .build()) {
            CheckResult r = run(check);

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("queue invoices does not exist");
        }
    }

    @Test
    void wrongCredentialsAreDownNamingTheRefusalAndNeverThePassword() {
        String wrong = "wrong-" + ArtemisBroker.PASSWORD;
        try (JmsCheck check = JmsCheck.of(ArtemisBroker.factory(broker.port(), wrong))) {
            CheckResult r = run(check);

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("the JMS broker refused the credentials: ")
                    .doesNotContain(wrong)
                    .doesNotContain(ArtemisBroker.PASSWORD);
            assertThat(String.valueOf(r.error())).doesNotContain(ArtemisBroker.PASSWORD);
        }
    }

    @Test
    void aStoppedBrokerIsDownAndUpAgainOnceRestartedWithoutRestartingTheApplication() throws Exception {
        try (JmsCheck check = JmsCheck.of(ArtemisBroker.factory(broker.port(), ArtemisBroker.PASSWORD));
                HealthRegistry health = registry(check, Duration.ofSeconds(2))) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);

            broker.stop();
            try {
                CheckEntry down = health.evaluate(Probe.READINESS).checks().get(0);
                assertThat(down.status()).isEqualTo(Status.DOWN);
                assertThat(down.message()).matches("(createSession failed|cannot connect to the JMS broker): .+");
            } finally {
                broker.start();
            }
            await("the same check sees the broker back")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
        }
    }

    @Test
    void aHundredProbesTimedOutByAStallLeaveNoConnectionThreadOrDescriptorBehind() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", broker.port());
                JmsCheck check = JmsCheck.builder(ArtemisBroker.factory(proxy.port(), ArtemisBroker.PASSWORD))
                        .queue("orders")
                        .build();
                HealthRegistry patient = registry(check, Duration.ofSeconds(5));
                // 1 s, the default: the engine keeps 200 ms (its maximum reserve) for reporting after the check's own
                // deadline. With 200 ms (40 ms reserve) the engine's TIMEOUT won once in about seven runs while the
                // machine's load average was 9-16 on 2 cores. Cheap here: only a probe that starts a call waits.
                HealthRegistry tight = registry(check, Duration.ofSeconds(1))) {
            try (JmsCheck warm = JmsCheck.of(ArtemisBroker.factory(broker.port(), ArtemisBroker.PASSWORD))) {
                assertThat(run(warm).status())
                        .as("the client's classes, loaded once")
                        .isEqualTo(Status.UP);
            }
            for (int i = 0; i < 10; i++) {
                CheckEntry e = patient.evaluate(Probe.READINESS).checks().get(0);
                assertThat(e.status()).as(e.message()).isEqualTo(Status.UP);
            }
            // the tight registry's first evaluations start its engine threads: not what the stall is about
            await("the tight registry answers UP")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> tight.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            int connections = TcpConnections.establishedTo(proxy.port());
            long threads = clientThreads();
            long descriptors = TcpConnections.openFileDescriptors();
            assertThat(connections).isEqualTo(1);

            proxy.stall();
            for (int i = 0; i < TIMED_OUT_PROBES; i++) {
                CheckEntry e = tight.evaluate(Probe.READINESS).checks().get(0);
                assertThat(e.status()).isEqualTo(Status.DOWN);
                int probe = i;
                assertThat(e.message())
                        .as(() -> "the check's own diagnosis, probe " + probe + " " + e.duration())
                        .matches("no answer (yet )?from the JMS broker to .+");
            }
            assertThat(TcpConnections.establishedTo(proxy.port()))
                    .as("connections during the stall")
                    .isLessThanOrEqualTo(connections);

            proxy.forward();
            await("the check answers again")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> patient.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            await("nothing of the stall stays behind")
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> {
                        assertThat(TcpConnections.establishedTo(proxy.port())).isLessThanOrEqualTo(connections);
                        assertThat(clientThreads()).isLessThanOrEqualTo(threads);
                        assertThat(TcpConnections.openFileDescriptors()).isLessThanOrEqualTo(descriptors);
                    });
        }
    }

    /** Threads of the JVM but the proxy's, Awaitility's, the engines' and the embedded broker's own. */
    private static long clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> !n.startsWith("black-hole-proxy")
                        && !n.startsWith("awaitility")
                        && !n.startsWith("vigil-health-")
                        && !n.contains("activemq-netty-threads")
                        && !n.startsWith("Thread-"))
                .count();
    }
}
