package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TcpCheckTest {

    private static CheckResult run(TcpCheck check) {
        CompletableFuture<CheckResult> f = Background.supply(check::check);
        await().atMost(Duration.ofSeconds(10)).until(f::isDone);
        return f.join();
    }

    @Test
    void listeningPortIsUpWithTheAddressConnectedTo() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            TcpCheck check = TcpCheck.of("localhost", server.getLocalPort());

            CheckResult r = run(check);

            assertThat(r.status()).isEqualTo(Status.UP);
            assertThat(r.message()).isEqualTo("connected to localhost:" + server.getLocalPort());
            assertThat(r.data())
                    .containsEntry("host", "localhost")
                    .containsEntry("port", server.getLocalPort())
                    .containsEntry("address", "127.0.0.1")
                    .containsKey("connectMs");
            assertThat(check.kind()).isEqualTo(CheckKind.DEPENDENCY);
        }
    }

    @Test
    void closedPortIsDownAsRefused() {
        int port = Ports.free();
        CheckResult r = run(TcpCheck.of("127.0.0.1", port));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("connection refused by 127.0.0.1:" + port);
        assertThat(r.data()).doesNotContainKey("address");
    }

    @Test
    void unknownHostIsReportedAsADnsFailure() {
        CheckResult r = run(TcpCheck.of("no-such-host.invalid", 5432));
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("DNS lookup failed: cannot resolve host no-such-host.invalid");
    }

    @Test
    void portThatNeverCompletesTheHandshakeIsDownWhenTheConnectTimeoutPasses() throws IOException {
        try (FullBacklog silent = new FullBacklog()) {
            CheckResult r = run(TcpCheck.builder("127.0.0.1", silent.port())
                    .connectTimeout(Duration.ofMillis(300))
                    .build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("connect to 127.0.0.1:" + silent.port() + " timed out after 300 ms");
        }
    }

    @Test
    void builderRejectsImpossibleTargets() {
        assertThatThrownBy(() -> TcpCheck.of(" ", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpCheck.of("db", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpCheck.of("db", 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpCheck.builder("db", 5432).connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
