package io.vigil.health.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.TestCertificates;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults made for real between the check and a real SMTP server: a relay that accepts connections and never speaks,
 * one that stops answering in the middle of AUTH, and a hundred timed-out probes in a row. The check's own
 * diagnosis, naming the step, arrives within the registration's timeout, and nothing is left open.
 */
class SmtpCheckUnderFaultsTest {
    private final HealthRegistry health =
            HealthRegistry.builder().startedImmediately().build();

    @AfterEach
    void close() {
        health.close();
    }

    private CheckEntry probe(SmtpCheck check, Duration timeout) {
        health.register(
                "mail",
                check,
                CheckPolicy.builder().timeout(timeout).cacheTtl(Duration.ZERO).build());
        return health.evaluate(Probe.READINESS).checks().get(0);
    }

    private static SmtpCheck check(int port) {
        return SmtpCheck.builder("localhost", port)
                .trustStore(TestCertificates.shared().trusting("valid"))
                .credentials(MailServer.USER, MailServer.PASSWORD)
                .build();
    }

    @Test
    void aBlackHoledRelayIsDownInTheChecksOwnWordsAtTheGreeting() throws Exception {
        try (MailServer server = MailServer.startTls("valid");
                BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", server.port())) {
            SmtpCheck check = check(proxy.port());
            warmUp(check);
            proxy.blackHole();

            CheckEntry mail = probe(check, Duration.ofMillis(700));

            assertThat(mail.status()).isEqualTo(Status.DOWN);
            assertThat(mail.cause()).as(mail.message()).isEqualTo(Cause.REPORTED);
            assertThat(mail.message())
                    .matches("no reply from localhost:" + proxy.port() + " within \\d+ ms at GREETING");
        }
    }

    @Test
    void aRelayThatStallsInTheMiddleOfAuthIsDownAtAuth() throws Exception {
        try (MailServer server = MailServer.startTls("valid");
                BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", server.port())) {
            SmtpCheck check = check(proxy.port());
            warmUp(check);
            server.onLogin(proxy::stall); // the credentials arrived; their answer never will

            CheckEntry mail = probe(check, Duration.ofMillis(700));

            assertThat(mail.status()).isEqualTo(Status.DOWN);
            assertThat(mail.cause()).as(mail.message()).isEqualTo(Cause.REPORTED);
            assertThat(mail.message()).matches("no reply from localhost:" + proxy.port() + " within \\d+ ms at AUTH");
            assertThat(mail.data()).containsEntry("step", "AUTH").containsEntry("tls", "STARTTLS");
            proxy.forward();
        }
    }

    @Test
    void aHundredTimedOutProbesLeaveNoConnectionAndNoThreadBehind() throws Exception {
        try (MailServer server = MailServer.startTls("valid");
                BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", server.port())) {
            SmtpCheck check = check(proxy.port());
            health.register(
                    "mail",
                    check,
                    CheckPolicy.builder()
                            .timeout(Duration.ofMillis(200))
                            .cacheTtl(Duration.ZERO)
                            .build());
            warmUp(check);
            proxy.blackHole();
            health.evaluate(Probe.READINESS); // the engine's threads for a DOWN evaluation exist from here on
            long fdBaseline = openFileDescriptors();
            long threadBaseline = ownThreads();
            int acceptedBefore = proxy.acceptedConnections();

            for (int i = 0; i < 100; i++) {
                assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            }

            // at most one connection per probe (a probe that finds the last execution still closing starts none)
            assertThat(proxy.acceptedConnections() - acceptedBefore)
                    .as("connections")
                    .isBetween(50, 100);
            // the black hole's drain threads end, and its sockets close, when the check has closed its side
            await("every connection closed").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(openFileDescriptors()).as("open file descriptors").isLessThanOrEqualTo(fdBaseline);
                assertThat(ownThreads())
                        .as(() -> "live threads " + threadNames())
                        .isLessThanOrEqualTo(threadBaseline);
            });
        }
    }

    /** Loads the TLS classes and makes the first handshake, which a busy machine may need a second for. */
    private static void warmUp(SmtpCheck check) {
        CheckResult r = check.check(CheckContext.within(Duration.ofSeconds(20)));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    /**
     * Live threads that could be the check's: not the engine's (a bounded pool, tested in health-core), not the
     * proxy's or the SMTP server's (their pools keep idle threads for a minute), not the JDK's process reapers
     * (keytool made the certificates), not Awaitility's own.
     */
    private static long ownThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> !n.startsWith("vigil-health-")
                        && !n.equals("black-hole-proxy")
                        && !n.equals("smtp-server")
                        && !n.equals("process reaper")
                        && !n.startsWith("awaitility"))
                .count();
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .sorted()
                .toList()
                .toString();
    }

    private static long openFileDescriptors() {
        return ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }
}
