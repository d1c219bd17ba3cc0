package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registration's timeout is the only number a user sets: with no timeout of their own, the TCP and TLS checks
 * bound their I/O by the time the engine gives them, so a silent peer is reported in the check's own words
 * ("timed out after N ms" naming the step), not as the engine's generic TIMEOUT.
 */
class RegistrationTimeoutTest {
    private static final Duration SHORT = Duration.ofMillis(400); // below the TCP check's old 500 ms connect timeout
    private final HealthRegistry health =
            HealthRegistry.builder().startedImmediately().build();

    @AfterEach
    void close() {
        health.close();
    }

    private CheckEntry probeOnce(HealthCheck check) {
        return probeOnce(check, SHORT);
    }

    private CheckEntry probeOnce(HealthCheck check, Duration timeout) {
        health.register(
                "peer",
                check,
                CheckPolicy.builder().timeout(timeout).cacheTtl(Duration.ZERO).build());
        return health.evaluate(Probe.READINESS).checks().get(0);
    }

    @Test
    void aPortThatNeverCompletesTheHandshakeIsTheTcpChecksOwnTimeout() throws Exception {
        try (FullBacklog silent = new FullBacklog()) {
            CheckEntry peer = probeOnce(TcpCheck.of("127.0.0.1", silent.port()));

            assertThat(peer.status()).isEqualTo(Status.DOWN);
            assertThat(peer.cause()).isEqualTo(Cause.REPORTED);
            assertThat(peer.message()).startsWith("connect to 127.0.0.1:" + silent.port() + " timed out after ");
        }
    }

    @Test
    void aBlackHoledHttpUpstreamIsTheHttpChecksOwnTimeoutBelowItsCap() throws Exception {
        try (Upstream upstream = Upstream.http();
                BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", upstream.port())) {
            upstream.answer(Upstream.status(204));
            HttpCheck check =
                    HttpCheck.builder("http://127.0.0.1:" + proxy.port() + "/").build(); // cap: 800 ms
            check.check(); // loads the HTTP client's classes on a busy machine
            proxy.blackHole();
            // 700 ms: below the check's 800 ms cap, with a 140 ms reserve for reporting
            CheckEntry peer = probeOnce(check, Duration.ofMillis(700));

            assertThat(peer.status()).isEqualTo(Status.DOWN);
            assertThat(peer.cause()).isEqualTo(Cause.REPORTED);
            assertThat(peer.message()).contains("timed out after");
        }
    }

    @Test
    void aStalledResponseBodyIsTheHttpChecksOwnTimeoutOnEveryJdk() throws Exception {
        try (Upstream upstream = Upstream.http()) {
            HttpCheck check = HttpCheck.builder(upstream.url("/ready")).build(); // cap: 800 ms
            check.check(); // loads the HTTP client's classes on a busy machine
            upstream.answer(upstream.stallBody());
            // on JDK 17 the request timeout ends at the head: the body needs the check's own bound
            CheckEntry peer = probeOnce(check, Duration.ofMillis(700));

            assertThat(peer.status()).isEqualTo(Status.DOWN);
            assertThat(peer.cause()).isEqualTo(Cause.REPORTED);
            assertThat(peer.message())
                    .startsWith(
                            "response body from " + upstream.url("/ready") + " (HTTP 200) not" + " complete after ");
        }
    }

    @Test
    void aBlackHoledTlsHandshakeIsTheTlsChecksOwnTimeout() throws Exception {
        try (TlsServer server = new TlsServer(TestCertificates.shared().serverContext("valid"));
                BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", server.port())) {
            TlsCertificateCheck check =
                    TlsCertificateCheck.builder("localhost", proxy.port()).build();
            check.check(); // loads the TLS classes, which a first handshake on a busy machine may need 400 ms for
            proxy.blackHole();
            // 700 ms: below the 800 ms the TLS check used to take for itself, with a 140 ms reserve for reporting
            CheckEntry peer = probeOnce(check, Duration.ofMillis(700));

            assertThat(peer.status()).isEqualTo(Status.DOWN);
            assertThat(peer.cause()).isEqualTo(Cause.REPORTED);
            assertThat(peer.message()).startsWith("TLS handshake with localhost:" + proxy.port() + " timed out after ");
        }
    }
}
