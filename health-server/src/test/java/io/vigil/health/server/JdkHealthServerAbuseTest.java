package io.vigil.health.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.tck.Abuse;
import io.vigil.health.tck.RawHttp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link JdkHealthServer} with slow, idle and oversized clients connected, and while it closes. */
class JdkHealthServerAbuseTest {
    static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: prober\r\nConnection: close\r\n\r\n";

    private HealthRegistry registry;
    /** Client threads of their own: a blocked client must not wait for a free common-pool thread. */
    private final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeEach
    void registry() {
        registry = HealthRegistry.builder().startedImmediately().build();
        registry.register(
                "alive",
                CheckResult::up,
                CheckPolicy.builder().probes(Probe.LIVENESS).build());
    }

    @AfterEach
    void closeRegistry() {
        clients.shutdownNow();
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

    /** @return the live threads of the server on that port */
    static List<String> threadsOf(int port) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("vigil-health-http-" + port + "-")) {
                names.add(t.getName());
            }
        }
        return names;
    }

    @Test
    void probesAnswerWhileFiveHundredSlowTwoThousandIdleAndAHugeHeaderClientAreConnected() throws Exception {
        int slow = 500;
        int idle = 2000;
        Abuse.requireFileDescriptors(slow + idle + 2);
        List<Integer> open = new ArrayList<>();
        int[] maxThreads = {0};
        int port;
        // a request timeout longer than the probing window keeps all the abuse connected throughout (with the
        // default of 10 s the server would shed it part way: aClientThatDoesNotFinishItsRequestInTimeIsClosed)
        try (JdkHealthServer server =
                server().requestTimeout(Duration.ofSeconds(60)).start()) {
            port = server.port();
            URI base = base(server);
            Abuse.Probes probes;
            try (Abuse abuse = new Abuse(base)) {
                abuse.slowloris(slow, Duration.ofSeconds(1));
                abuse.idle(idle);
                CompletableFuture<String> huge = abuse.hugeHeader(1024 * 1024);
                await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections() >= slow + idle);
                probes = Abuse.probe(base, 100, Duration.ofMillis(100), () -> {
                    open.add(server.openConnections());
                    maxThreads[0] = Math.max(maxThreads[0], threadsOf(port).size());
                });
                assertThat(huge.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 431");
                System.out.printf(
                        "abuse: %d probes, slowest %d ms, open connections %d..%d, server threads <= %d,"
                                + " slow clients reconnected %d%n",
                        probes.statuses().size(),
                        probes.slowestMillis(),
                        open.stream().mapToInt(Integer::intValue).min().orElse(0),
                        open.stream().mapToInt(Integer::intValue).max().orElse(0),
                        maxThreads[0],
                        abuse.reconnects());
            }
            assertThat(probes.statuses()).hasSize(100).containsOnly(200);
            assertThat(open).as("abusive connections open while probing").allMatch(n -> n >= slow + idle);
            assertThat(maxThreads[0]).as("selector thread + 4 request threads").isLessThanOrEqualTo(5);
            await().atMost(Duration.ofSeconds(15)).until(() -> server.openConnections() == 0);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> threadsOf(port).isEmpty());
    }

    @Test
    @SuppressWarnings("try") // closes the resource inside its block on purpose: what happens then is the test
    void atTheCapTheOldestIdleConnectionMakesRoomForAProbe() throws Exception {
        try (JdkHealthServer server = server().maxConnections(5).start();
                Abuse abuse = new Abuse(base(server))) {
            abuse.idle(5);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 5);
            for (int i = 0; i < 20; i++) {
                assertThat(probe(base(server))).as("probe %d", i).isEqualTo(200);
            }
            assertThat(server.openConnections()).isLessThanOrEqualTo(5);
            abuse.close();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        }
    }

    @Test
    void atTheCapIdleKeepAliveConnectionsAndSlowHeadsGiveWayOldestFirst() throws Exception {
        try (JdkHealthServer server = server().maxConnections(4).start();
                Abuse abuse = new Abuse(base(server))) {
            List<RawHttp> keepAlive = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) { // a client that keeps its answered connections open
                    RawHttp c = RawHttp.connect(base(server), Duration.ofSeconds(10));
                    keepAlive.add(c);
                    assertThat(c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .read(false)
                                    .status())
                            .isEqualTo(200);
                }
                abuse.slowloris(2, Duration.ofSeconds(1));
                await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 4);
                assertThat(probe(base(server))).isEqualTo(200);
                assertThat(keepAlive.get(0).closedByServer())
                        .as("the oldest idle connection was closed")
                        .isTrue();
                abuse.idle(1); // at the cap again
                await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 4);
                assertThat(probe(base(server))).isEqualTo(200);
                assertThat(keepAlive.get(1).closedByServer()).isTrue();
            } finally {
                keepAlive.forEach(RawHttp::close);
            }
        }
    }

    @Test
    void atTheCapANewConnectionIsRefusedOnlyWhenEveryConnectionIsBusy() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        for (String group : List.of("a", "b")) {
            registry.register(
                    "stuck-" + group,
                    () -> {
                        entered.countDown();
                        return release.await(20, TimeUnit.SECONDS)
                                ? CheckResult.up()
                                : CheckResult.down("not released");
                    },
                    CheckPolicy.builder()
                            .groups(group)
                            .timeout(Duration.ofSeconds(20))
                            .cacheTtl(Duration.ZERO)
                            .build());
        }
        try (JdkHealthServer server = server().maxConnections(2).threads(2).start()) {
            List<CompletableFuture<Integer>> busy = new ArrayList<>();
            for (String group : List.of("a", "b")) {
                busy.add(CompletableFuture.supplyAsync(
                        () -> {
                            try (RawHttp c = RawHttp.connect(base(server), Duration.ofSeconds(30))) {
                                return c.send("GET /health/group/" + group + " HTTP/1.1\r\nHost: x\r\n\r\n")
                                        .read(false)
                                        .status();
                            }
                        },
                        clients));
            }
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            try (RawHttp third = RawHttp.connect(base(server), Duration.ofSeconds(10))) {
                assertThat(third.closedByServer()).isTrue();
            }
            release.countDown();
            for (CompletableFuture<Integer> f : busy) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(200);
            }
            assertThat(probe(base(server))).isEqualTo(200);
        }
    }

    @Test
    void headsBeyondTheLimitsAre431WithAnOperationOutcome() {
        try (JdkHealthServer server =
                server().maxHeaderBytes(4096).maxHeaderCount(10).start()) {
            StringBuilder many = new StringBuilder("GET /health/live HTTP/1.1\r\nHost: x\r\n");
            for (int i = 0; i < 10; i++) {
                many.append("X-").append(i).append(": y\r\n");
            }
            try (RawHttp c = RawHttp.connect(base(server), Duration.ofSeconds(10))) {
                RawHttp.Response r = c.send(many + "\r\n").read(false);
                assertThat(r.status()).isEqualTo(431);
                assertThat(r.text()).contains("OperationOutcome").contains("too-long");
                assertThat(r.closes()).isTrue();
            }
            try (RawHttp c = RawHttp.connect(base(server), Duration.ofSeconds(10))) {
                RawHttp.Response r = c.send(
                                "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n")
                        .read(false);
                assertThat(r.status()).isEqualTo(431);
                assertThat(r.text()).contains("OperationOutcome");
            }
            assertThat(probe(base(server))).isEqualTo(200);
        }
    }

    @Test
    void aClientThatDoesNotFinishItsRequestInTimeIsClosed() {
        try (JdkHealthServer server =
                        server().requestTimeout(Duration.ofMillis(500)).start();
                RawHttp slow = RawHttp.connect(base(server), Duration.ofSeconds(10));
                RawHttp idle = RawHttp.connect(base(server), Duration.ofSeconds(10))) {
            slow.send("GET /health/live HTTP/1.1\r\nHost: x\r\n");
            assertThat(slow.closedByServer()).isTrue();
            assertThat(idle.closedByServer()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
        }
    }

    @Test
    void requestsQueuedBehindABusyRequestThreadAreAnswered() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        registry.register(
                "stuck",
                () -> {
                    entered.countDown();
                    return release.await(20, TimeUnit.SECONDS) ? CheckResult.up() : CheckResult.down("not released");
                },
                CheckPolicy.builder()
                        .probes(Probe.READINESS)
                        .timeout(Duration.ofSeconds(20))
                        .cacheTtl(Duration.ZERO)
                        .build());
        try (JdkHealthServer server = server().threads(1).start()) {
            CompletableFuture<Integer> ready = CompletableFuture.supplyAsync(
                    () -> {
                        try (RawHttp c = RawHttp.connect(base(server), Duration.ofSeconds(30))) {
                            return c.send("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .read(false)
                                    .status();
                        }
                    },
                    clients);
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            // the one request thread is held by a readiness probe; a liveness request queues behind it
            try (RawHttp c = RawHttp.connect(base(server), Duration.ofSeconds(30))) {
                c.send(LIVE);
                release.countDown();
                assertThat(c.read(false).status()).isEqualTo(200);
            }
            assertThat(ready.get(30, TimeUnit.SECONDS)).isEqualTo(200);
        }
    }

    @Test
    void aHalfClosedClientGetsItsAnswer() {
        try (JdkHealthServer server = server().start();
                RawHttp c = RawHttp.connect(base(server), Duration.ofSeconds(10))) {
            RawHttp.Response r = c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
                    .shutdownOutput()
                    .read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void requestsBeyondTheQueueAre503AtOnceAndTheQueuedOnesAreAnswered() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        registry.register(
                "stuck",
                () -> {
                    entered.countDown();
                    return release.await(20, TimeUnit.SECONDS) ? CheckResult.up() : CheckResult.down("not released");
                },
                CheckPolicy.builder()
                        .probes(Probe.READINESS)
                        .timeout(Duration.ofSeconds(20))
                        .cacheTtl(Duration.ZERO)
                        .build());
        try (JdkHealthServer server = server().threads(1).start()) {
            List<RawHttp> queued = new ArrayList<>();
            try (RawHttp held = RawHttp.connect(base(server), Duration.ofSeconds(30))) {
                held.send("GET /health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
                for (int i = 0; i < 16; i++) { // the queue holds 16 requests per request thread
                    queued.add(RawHttp.connect(base(server), Duration.ofSeconds(30))
                            .send(LIVE));
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.queuedRequests() == 16);
                try (RawHttp rejected = RawHttp.connect(base(server), Duration.ofSeconds(10))) {
                    RawHttp.Response busy = rejected.send(LIVE).read(false);
                    assertThat(busy.status()).isEqualTo(503);
                    assertThat(busy.text()).contains("OperationOutcome").contains("transient");
                }
                release.countDown();
                assertThat(held.read(false).status()).isEqualTo(200);
                for (RawHttp c : queued) {
                    assertThat(c.read(false).status()).isEqualTo(200);
                }
            } finally {
                queued.forEach(RawHttp::close);
            }
        }
    }

    @Test
    void eightSlowClientsDoNotStopLivenessProbes() throws Exception {
        try (JdkHealthServer server = server().start();
                Abuse abuse = new Abuse(base(server))) {
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
        registry.register(
                "slow-live",
                () -> {
                    entered.countDown();
                    try {
                        return release.await(20, TimeUnit.SECONDS)
                                ? CheckResult.up()
                                : CheckResult.down("not released");
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                        Thread.currentThread().interrupt();
                        return CheckResult.down("interrupted");
                    }
                },
                CheckPolicy.builder()
                        .probes(Probe.LIVENESS)
                        .timeout(Duration.ofSeconds(20))
                        .cacheTtl(Duration.ZERO)
                        .build());
        JdkHealthServer server = server().start();
        URI base = base(server);
        CompletableFuture<RawHttp.Response> inFlight = CompletableFuture.supplyAsync(
                () -> {
                    try (RawHttp c = RawHttp.connect(base, Duration.ofSeconds(30))) {
                        return c.send(LIVE).read(false);
                    }
                },
                clients);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close, clients);
        await().atMost(Duration.ofSeconds(10)).until(() -> Abuse.refused(base));
        assertThat(inFlight).isNotDone();
        release.countDown();
        assertThat(inFlight.get(20, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(interrupted).isFalse();
        closing.get(20, TimeUnit.SECONDS);
        assertThat(Abuse.refused(base)).isTrue();
    }
}
