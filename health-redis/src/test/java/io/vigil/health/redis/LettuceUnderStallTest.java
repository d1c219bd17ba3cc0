package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The Lettuce check while Redis stalls (a proxy holds every byte back, then lets it all through): the check
 * owns at most one connection and leaves at most one command on a connection, whether its wait ends by its own
 * timeout or by the engine's interrupt; afterwards connections and pending commands are back at their baseline.
 * Counts, not timings: the client's channels, the commands on a connection's stack, the server's clients.
 */
class LettuceUnderStallTest {
    /** Evaluations during the stall, each a fresh execution of the check (cache TTL 0). */
    private static final int PROBES_DURING_STALL = 8;

    private final List<Channel> channels = new CopyOnWriteArrayList<>();
    private EmbeddedRedis redis;
    private BlackHoleProxy proxy;
    private ClientResources resources;
    private RedisClient client;
    private RedisURI viaProxy;

    @BeforeEach
    void start() throws Exception {
        redis = EmbeddedRedis.startDefault();
        proxy = new BlackHoleProxy(redis.host(), redis.port());
        resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .nettyCustomizer(new NettyCustomizer() {
                    @Override
                    public void afterChannelInitialized(Channel channel) {
                        channels.add(channel);
                    }
                })
                .build();
        client = RedisClient.create(resources);
        // Lettuce's own timeout (handshake, sync commands) is far longer than the check's
        viaProxy = RedisURI.Builder.redis("127.0.0.1", proxy.port())
                .withTimeout(Duration.ofSeconds(20))
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        proxy.forward();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        proxy.close();
        redis.close();
    }

    @Test
    void anOwnConnectionInterruptedByTheEngineStaysOneConnectionAndCloseReleasesIt() {
        // the registration's timeout (200 ms) ends each run by interrupt, before the check's own (800 ms)
        assertOwnConnectionBounded(LettuceRedisCheck.of(client, viaProxy), Duration.ofMillis(200));
    }

    @Test
    void anOwnConnectionTimedOutByTheCheckStaysOneConnectionAndCloseReleasesIt() {
        // the check's own timeout (150 ms) ends each run, before the registration's (2 s)
        assertOwnConnectionBounded(
                LettuceRedisCheck.builder(client, viaProxy)
                        .timeout(Duration.ofMillis(150))
                        .build(),
                Duration.ofSeconds(2));
    }

    @Test
    void aSharedConnectionInterruptedByTheEngineCarriesAtMostOneCommandOfTheCheck() {
        assertSharedConnectionBounded(Duration.ofMillis(800), Duration.ofMillis(200));
    }

    @Test
    void aSharedConnectionTimedOutByTheCheckCarriesAtMostOneCommandOfTheCheck() {
        assertSharedConnectionBounded(Duration.ofMillis(150), Duration.ofSeconds(2));
    }

    private void assertOwnConnectionBounded(LettuceRedisCheck check, Duration registrationTimeout) {
        try (HealthRegistry health = registry(check, registrationTimeout)) {
            warmUpEventLoops();
            int baseline = serverClients();
            long fdBaseline = openFileDescriptors();
            proxy.stall(); // before the check ever connected: every run has to open its connection

            for (int i = 0; i < PROBES_DURING_STALL; i++) {
                assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            }
            assertThat(openChannels())
                    .as("client connections the check holds during the stall")
                    .isLessThanOrEqualTo(1);
            assertThat(serverClients() - baseline)
                    .as("connections Redis sees from the check")
                    .isLessThanOrEqualTo(1);

            proxy.forward();
            await("the check answers again")
                    .atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            await("late connections are closed").atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(openChannels()).isEqualTo(1);
                assertThat(serverClients() - baseline)
                        .as(() -> "baseline " + baseline + ", " + clientList())
                        .isLessThanOrEqualTo(1);
            });

            check.close();
            await("close() releases the check's connection")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        assertThat(openChannels()).isZero();
                        assertThat(serverClients()).isEqualTo(baseline);
                        // the JVM's descriptors, the proxy's sockets among them
                        assertThat(openFileDescriptors())
                                .as("open file descriptors")
                                .isLessThanOrEqualTo(fdBaseline);
                    });
        }
    }

    private void assertSharedConnectionBounded(Duration checkTimeout, Duration registrationTimeout) {
        try (StatefulRedisConnection<String, String> app = client.connect(viaProxy)) {
            LettuceRedisCheck check =
                    LettuceRedisCheck.builder(app).timeout(checkTimeout).build();
            try (HealthRegistry health = registry(check, registrationTimeout)) {
                assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
                assertThat(pendingOnConnection()).isZero();
                proxy.stall();

                RedisFuture<String> appCommand = app.async().set("app-key", "written during the stall");
                for (int i = 0; i < PROBES_DURING_STALL; i++) {
                    assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
                }
                // the application's SET plus at most one command of the check
                assertThat(pendingOnConnection())
                        .as("commands queued on the application's connection")
                        .isLessThanOrEqualTo(2);

                proxy.forward();
                await("the application's command completes")
                        .atMost(Duration.ofSeconds(10))
                        .until(appCommand::isDone);
                assertThat(appCommand.toCompletableFuture().join()).isEqualTo("OK");
                await("the check answers again")
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
                await("nothing left pending").atMost(Duration.ofSeconds(10)).until(() -> pendingOnConnection() == 0);
                assertThat(openChannels()).isEqualTo(1);
            }
        }
    }

    private static HealthRegistry registry(LettuceRedisCheck check, Duration timeout) {
        HealthRegistry health = HealthRegistry.builder().startedImmediately().build();
        health.register(
                "redis",
                check,
                CheckPolicy.builder().timeout(timeout).cacheTtl(Duration.ZERO).build());
        return health;
    }

    /** Netty opens its event loops' descriptors on first use: the baseline is taken after. */
    private void warmUpEventLoops() {
        RedisURI direct = RedisURI.Builder.redis(redis.host(), redis.port()).build();
        try (StatefulRedisConnection<String, String> a = client.connect(direct);
                StatefulRedisConnection<String, String> b = client.connect(direct)) {
            a.sync().ping();
            b.sync().ping();
        }
    }

    private static long openFileDescriptors() {
        return ((com.sun.management.UnixOperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }

    private long openChannels() {
        return channels.stream().filter(Channel::isOpen).count();
    }

    /** Commands written to the (only) connection and not yet answered: Lettuce's own stack. */
    private int pendingOnConnection() {
        List<Channel> open = channels.stream().filter(Channel::isOpen).toList();
        assertThat(open).hasSize(1);
        return open.get(0).pipeline().get(CommandHandler.class).getStack().size();
    }

    private String clientList() {
        try (Jedis admin = new Jedis(redis.host(), redis.port())) {
            return admin.clientList();
        }
    }

    /** Clients connected to Redis, not counting the one asking. */
    private int serverClients() {
        try (Jedis admin = new Jedis(redis.host(), redis.port())) {
            return (int) admin.clientList().lines().filter(l -> !l.isBlank()).count() - 1;
        }
    }
}
