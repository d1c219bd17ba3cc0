package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JdkHealthServer} with slow, idle and oversized clients connected, and while it closes. */
class JdkHealthServerAbuseTest {
    static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: prober\r\nConnection: close\r\n\r\n";

    private HealthRegistry registry;

    @BeforeEach
    void registry() {
        registry = HealthRegistry.builder().startedImmediately().build();
        registry.register("alive", CheckResult::up, CheckPolicy.builder().probes(Probe.LIVENESS).build());
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    private JdkHealthServer.Builder server() {
        return JdkHealthServer.builder(HealthHandler.builder(registry).build())
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    static URI base(JdkHealthServer server) {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    /** One probe as kubelet sends it: a new connection, {@code Connection: close}, a 3 s timeout. */
    static int probe(URI base) {
        try (RawHttp c = RawHttp.connect(base, Duration.ofSeconds(3))) {
            return c.send(LIVE).read(false).status();
        }
    }

    @Test
    void eightSlowClientsDoNotStopLivenessProbes() throws Exception {
        try (JdkHealthServer server = server().start(); Abuse abuse = new Abuse(base(server))) {
            abuse.slowloris(8, Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> abuse.drips() >= 2);
            for (int i = 0; i < 5; i++) {
                assertThat(probe(base(server))).as("probe %d", i).isEqualTo(200);
            }
        }
    }

    @Test
    void closeAnswersTheRequestInFlightWithoutInterruptingItsCheckAndRefusesLaterConnections() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        registry.register("slow-live", () -> {
            entered.countDown();
            try {
                return release.await(20, TimeUnit.SECONDS) ? CheckResult.up() : CheckResult.down("not released");
            } catch (InterruptedException e) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
                return CheckResult.down("interrupted");
            }
        }, CheckPolicy.builder().probes(Probe.LIVENESS).timeout(Duration.ofSeconds(20)).cacheTtl(Duration.ZERO).build());
        JdkHealthServer server = server().start();
        URI base = base(server);
        CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try (RawHttp c = RawHttp.connect(base, Duration.ofSeconds(30))) {
                return c.send(LIVE).read(false);
            }
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> Abuse.refused(base));
        assertThat(inFlight).isNotDone();
        release.countDown();
        assertThat(inFlight.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(interrupted).isFalse();
        closing.get(20, TimeUnit.SECONDS);
        assertThat(Abuse.refused(base)).isTrue();
    }
}
