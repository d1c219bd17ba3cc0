package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** The Lettuce check against a real redis-server, through the service's own client. */
class LettuceRedisCheckTest {
    private static final String PASSWORD = "lettuce-S3cret";
    private static ClientResources resources;
    private static RedisClient client;

    @BeforeAll
    static void createClient() {
        // the service's client, tuned as a service would to reconnect promptly
        resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                .reconnectDelay(Delay.constant(Duration.ofMillis(100)))
                .build();
        client = RedisClient.create(resources);
    }

    @AfterAll
    static void shutdownClient() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static RedisURI uri(EmbeddedRedis redis) {
        return RedisURI.Builder.redis(redis.host(), redis.port())
                .withTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** A check with its own connection; the first connect of a cold JVM may take longer than 800 ms. */
    private static LettuceRedisCheck owned(RedisURI uri) {
        return LettuceRedisCheck.builder(client, uri)
                .timeout(Duration.ofSeconds(3))
                .build();
    }

    @Test
    void aSharedConnectionIsUpWithRoundTripVersionAndRole() {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                StatefulRedisConnection<String, String> connection = client.connect(uri(redis))) {
            LettuceRedisCheck check = LettuceRedisCheck.of(connection);

            CheckResult r = check.check();

            assertThat(check.kind()).isEqualTo(CheckKind.DATASTORE);
            assertThat(r.status()).isEqualTo(Status.UP);
            assertThat(r.data())
                    .containsEntry("role", "master")
                    .containsEntry("mode", "standalone")
                    .containsKeys("roundTripMs", "version", "connectedReplicas");
            assertThat(r.message()).startsWith("Redis " + r.data().get("version") + " master answered PING in ");
        }
    }

    @Test
    void aSharedConnectionIsDownWhileTheServerIsStoppedAndUpOnceLettuceReconnects() {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                StatefulRedisConnection<String, String> connection = client.connect(uri(redis))) {
            LettuceRedisCheck check = LettuceRedisCheck.of(connection);
            assertThat(check.check().status()).isEqualTo(Status.UP);

            redis.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> check.check().status() == Status.DOWN);
            assertThat(check.check().message())
                    .isEqualTo("the Lettuce connection is not open (disconnected, reconnecting or closed)");

            redis.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> check.check().status() == Status.UP);
        }
    }

    @Test
    void anOwnConnectionNamesTheRefusalAndRecoversAfterARestart() {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                LettuceRedisCheck check = owned(uri(redis))) {
            assertThat(check.check().status()).isEqualTo(Status.UP);

            redis.stop();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> check.check().message().contains("Connection refused"));
            assertThat(check.check().message()).startsWith("cannot connect to Redis: ");
            assertThat(check.check().status()).isEqualTo(Status.DOWN);

            redis.start();
            assertThat(check.check().status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void anOwnConnectionWithAWrongOrMissingPasswordIsDownNamingRedisError() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass(PASSWORD).start();
                LettuceRedisCheck wrong = owned(RedisURI.Builder.redis(redis.host(), redis.port())
                        .withPassword(("wrong-" + PASSWORD).toCharArray())
                        .withTimeout(Duration.ofSeconds(2))
                        .build());
                LettuceRedisCheck missing = owned(uri(redis));
                LettuceRedisCheck right = owned(RedisURI.Builder.redis(redis.host(), redis.port())
                        .withPassword(PASSWORD.toCharArray())
                        .withTimeout(Duration.ofSeconds(2))
                        .build())) {
            CheckResult w = wrong.check();
            assertThat(w.status()).isEqualTo(Status.DOWN);
            assertThat(w.message())
                    .startsWith("Redis rejected the login: WRONGPASS")
                    .doesNotContain(PASSWORD);
            assertThat(w.data().toString()).doesNotContain(PASSWORD);

            CheckResult m = missing.check();
            assertThat(m.status()).isEqualTo(Status.DOWN);
            assertThat(m.message())
                    .startsWith("Redis requires authentication and the check did not authenticate:" + " NOAUTH");

            assertThat(right.check().status()).isEqualTo(Status.UP);
            assertThat(right.toString()).doesNotContain(PASSWORD);
        }
    }

    /**
     * Lettuce 6.8 now and then loses the server's refusal of its handshake to a race and fails the connect with
     * "RedisHandshakeHandler not registered"; the check connects again then, so every fresh connection names the
     * real cause. Before the retry, 46 of 1500 such connects reported the race on a 2-core machine (so 300 see it
     * with near certainty).
     */
    @Test
    void everyOneOfThreeHundredFreshConnectionsWithAWrongPasswordNamesWrongpass() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass(PASSWORD).start()) {
            RedisURI wrong = RedisURI.Builder.redis(redis.host(), redis.port())
                    .withPassword(("wrong-" + PASSWORD).toCharArray())
                    .withTimeout(Duration.ofSeconds(2))
                    .build();
            List<String> messages = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                try (LettuceRedisCheck check = owned(wrong)) {
                    messages.add(check.check().message());
                }
            }
            assertThat(messages).allSatisfy(m -> assertThat(m).startsWith("Redis rejected the login: WRONGPASS"));
        }
    }

    @Test
    void aBlackHoledConnectionIsDownWithinTheChecksTimeout() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                BlackHoleProxy proxy = new BlackHoleProxy(redis.host(), redis.port());
                StatefulRedisConnection<String, String> connection =
                        client.connect(RedisURI.Builder.redis("127.0.0.1", proxy.port())
                                .withTimeout(Duration.ofSeconds(30))
                                .build())) {
            LettuceRedisCheck check = LettuceRedisCheck.builder(connection)
                    .timeout(Duration.ofMillis(300))
                    .build();
            assertThat(check.check().status()).isEqualTo(Status.UP);

            proxy.blackHole();
            CompletableFuture<CheckResult> result = Background.supply(check::check);
            await().atMost(Duration.ofSeconds(5)).until(result::isDone);
            assertThat(result.get().status()).isEqualTo(Status.DOWN);
            assertThat(result.get().message()).isEqualTo("no answer to PING within 300 ms");
        }
    }

    @Test
    void aClusterConnectionIsUpWhileTheClusterIsOkAndDownWhenItFails() {
        try (EmbeddedRedis node = RedisFixtures.singleNodeCluster()) {
            RedisClusterClient clusterClient = RedisClusterClient.create(resources, uri(node));
            try (StatefulRedisClusterConnection<String, String> connection = clusterClient.connect()) {
                LettuceRedisCheck check = LettuceRedisCheck.of(connection);

                CheckResult ok = check.check();
                assertThat(ok.status()).isEqualTo(Status.UP);
                assertThat(ok.data())
                        .containsEntry("mode", "cluster")
                        .containsEntry("clusterState", "ok")
                        .containsEntry("clusterKnownNodes", 1L);

                try (Jedis admin = new Jedis(node.host(), node.port())) {
                    admin.sendCommand(Protocol.Command.CLUSTER, "DELSLOTS", "42");
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> check.check().status() == Status.DOWN);
                assertThat(check.check().message()).endsWith("answered PING, but the cluster state is fail");
            } finally {
                clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
