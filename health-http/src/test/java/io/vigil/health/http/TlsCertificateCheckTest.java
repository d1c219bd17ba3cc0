package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.MutableClock;
import io.vigil.health.test.Ports;
import io.vigil.health.test.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TlsCertificateCheckTest {
    private static TestCertificates certs;

    @BeforeAll
    static void generateCertificates() {
        certs = TestCertificates.shared();
    }

    private static CheckResult run(TlsCertificateCheck check) {
        CompletableFuture<CheckResult> f = Background.supply(check::check);
        await().atMost(Duration.ofSeconds(10)).until(f::isDone);
        return f.join();
    }

    private static TlsCertificateCheck.Builder against(TlsServer server) {
        return TlsCertificateCheck.builder("localhost", server.port()).timeout(Duration.ofSeconds(3));
    }

    private static Instant notAfter(String name) throws Exception {
        return ((X509Certificate) certs.keyStore(name).getCertificate(name))
                .getNotAfter()
                .toInstant();
    }

    @Test
    void trustedCertificateIsUpWithSubjectIssuerExpiryAndDaysLeft() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("valid"))) {
            CheckResult r =
                    run(against(server).trustStore(certs.trusting("valid")).build());

            assertThat(r.status()).isEqualTo(Status.UP);
            assertThat(r.message()).startsWith("certificate CN=localhost valid for 364 more days, until ");
            assertThat(r.data())
                    .containsEntry("host", "localhost")
                    .containsEntry("port", server.port())
                    .containsEntry("subject", "CN=localhost")
                    .containsEntry("issuer", "CN=localhost")
                    .containsEntry("notAfter", notAfter("valid").toString())
                    .containsEntry("daysLeft", 364L)
                    .containsKey("protocol");
            assertThat(server.handshakes()).isEqualTo(1);
        }
    }

    @Test
    void selfSignedCertificateWithoutATrustStoreIsDownAsUntrusted() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("valid"))) {
            CheckResult r = run(against(server).build());
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .isEqualTo(
                            "certificate chain of CN=localhost is not trusted: no path to a trusted root certificate");
            assertThat(r.data()).containsEntry("subject", "CN=localhost");
        }
    }

    @Test
    void certificateExpiringInSevenDaysIsDegraded() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("expiring"))) {
            CheckResult r =
                    run(against(server).trustStore(certs.trusting("expiring")).build());
            assertThat(r.status()).isEqualTo(Status.DEGRADED);
            assertThat(r.message()).isEqualTo("certificate CN=localhost expires in 6 days, at " + notAfter("expiring"));
            assertThat(r.data()).containsEntry("daysLeft", 6L);
        }
    }

    @Test
    void expiredCertificateIsDownEvenWhenTrusted() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("expired"))) {
            CheckResult r =
                    run(against(server).trustStore(certs.trusting("expired")).build());
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .isEqualTo("certificate CN=localhost expired at " + notAfter("expired") + " (20 days ago)");
            assertThat(r.data()).containsEntry("daysLeft", -20L);
        }
    }

    @Test
    void certificateNotYetValidIsDown() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("future"))) {
            CheckResult r =
                    run(against(server).trustStore(certs.trusting("future")).build());
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).startsWith("certificate CN=localhost is not valid before ");
        }
    }

    @Test
    void certificateForAnotherHostIsDownNamingWhatItIsFor() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("wronghost"))) {
            CheckResult wrong =
                    run(against(server).trustStore(certs.trusting("wronghost")).build());
            CheckResult viaServerName = run(TlsCertificateCheck.builder("127.0.0.1", server.port())
                    .serverName("wrong.example")
                    .trustStore(certs.trusting("wronghost"))
                    .build());

            assertThat(wrong.status()).isEqualTo(Status.DOWN);
            assertThat(wrong.message()).isEqualTo("certificate does not match host localhost; it names wrong.example");
            assertThat(viaServerName.status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void ipLiteralMatchesTheCertificatesIpAddressEntry() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("valid"))) {
            CheckResult r = run(TlsCertificateCheck.builder("127.0.0.1", server.port())
                    .trustStore(certs.trusting("valid"))
                    .build());
            assertThat(r.status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void earliestExpiryInTheChainCountsAndTheCaAloneIsEnoughTrust() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("leaf"))) {
            CheckResult r = run(against(server).trustStore(certs.trusting("ca")).build());

            assertThat(r.status()).isEqualTo(Status.DEGRADED);
            assertThat(r.message()).startsWith("certificate CN=Vigil Test CA expires in 9 days");
            assertThat(r.data()).containsEntry("subject", "CN=Vigil Test CA").containsEntry("daysLeft", 9L);
        }
    }

    @Test
    void warningStartsExactlyAtTheThresholdOnTheChecksClock() throws Exception {
        Instant end = notAfter("valid");
        MutableClock clock = new MutableClock(end.minus(Duration.ofDays(30)).minusSeconds(1));
        try (TlsServer server = new TlsServer(certs.serverContext("valid"))) {
            TlsCertificateCheck check = against(server)
                    .trustStore(certs.trusting("valid"))
                    .warnBefore(Duration.ofDays(30))
                    .clock(clock)
                    .build();

            CheckResult before = run(check);
            clock.advance(Duration.ofSeconds(1));
            CheckResult at = run(check);

            assertThat(before.status()).isEqualTo(Status.UP);
            assertThat(at.status()).isEqualTo(Status.DEGRADED);
            assertThat(at.message()).startsWith("certificate CN=localhost expires in 30 days");
        }
    }

    @Test
    void serverAnsweringPlainTextIsAHandshakeFailure() throws Exception {
        try (ServerSocket plain = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(
                    () -> {
                        try (Socket s = plain.accept()) {
                            s.getOutputStream()
                                    .write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
                                            .getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException e) {
                            // the test asserts what the client saw
                        }
                    },
                    "plain-text-server");
            answering.setDaemon(true);
            answering.start();

            CheckResult r = run(TlsCertificateCheck.builder("localhost", plain.getLocalPort())
                    .build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).startsWith("TLS handshake with localhost:" + plain.getLocalPort() + " failed: ");
        }
    }

    @Test
    void blackHoledHandshakeIsDownWhenTheTimeoutPasses() throws Exception {
        try (TlsServer server = new TlsServer(certs.serverContext("valid"));
                BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", server.port())) {
            proxy.blackHole();
            CheckResult r = run(TlsCertificateCheck.builder("localhost", proxy.port())
                    .timeout(Duration.ofMillis(300))
                    .build());
            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .isEqualTo("TLS handshake with localhost:" + proxy.port() + " timed out after 300 ms");
        }
    }

    @Test
    void closedPortIsDownAsRefused() {
        int port = Ports.free();
        CheckResult r = run(TlsCertificateCheck.builder("127.0.0.1", port).build());
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("connection refused by 127.0.0.1:" + port);
    }

    @Test
    void wildcardsCoverExactlyOneLeftMostLabel() {
        assertThat(HostnameMatch.dnsMatches("*.example.com", "api.example.com")).isTrue();
        assertThat(HostnameMatch.dnsMatches("*.example.com", "example.com")).isFalse();
        assertThat(HostnameMatch.dnsMatches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(HostnameMatch.dnsMatches("*.com", "example.com")).isFalse();
        assertThat(HostnameMatch.dnsMatches("api.example.com", "api.example.com"))
                .isTrue();
        assertThat(HostnameMatch.dnsMatches("api.example.com", "web.example.com"))
                .isFalse();
    }

    @Test
    void builderRejectsNonsense() {
        assertThatThrownBy(() -> TlsCertificateCheck.builder("", 443)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsCertificateCheck.builder("h", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsCertificateCheck.builder("h", 443).warnBefore(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TlsCertificateCheck.builder("h", 443).timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
