package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class TcpCheckTest {

    private static CheckResult run(TcpCheck check) {
        CompletableFuture<CheckResult> f = CompletableFuture.supplyAsync(check::check);
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
            assertThat(r.data()).containsEntry("host", "localhost").containsEntry("port", server.getLocalPort())
                    .containsEntry("address", "127.0.0.1").containsKey("connectMs");
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
        // a listener that never accepts, with its accept queue filled: the kernel drops further SYNs
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            boolean full = false;
            for (int i = 0; i < 20 && !full; i++) {
                Socket s = new Socket();
                fillers.add(s);
                try {
                    s.connect(address, 200);
                } catch (SocketTimeoutException e) {
                    full = true;
                }
            }
            assertThat(full).as("accept queue filled").isTrue();

            CheckResult r = run(TcpCheck.builder("127.0.0.1", server.getLocalPort())
                    .connectTimeout(Duration.ofMillis(300)).build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("connect to 127.0.0.1:" + server.getLocalPort()
                    + " timed out after 300 ms");
        } finally {
            for (Socket s : fillers) {
                s.close();
            }
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
