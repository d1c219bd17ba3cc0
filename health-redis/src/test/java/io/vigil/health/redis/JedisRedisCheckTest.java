package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;

/** The Jedis check against a real redis-server, through the service's own client. */
class JedisRedisCheckTest {
    private static final String PASSWORD = "jedis-S3cret";

    private static JedisPooled pooled(int port, String password, int socketTimeoutMillis) {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(socketTimeoutMillis)
                .socketTimeoutMillis(socketTimeoutMillis);
        if (password != null) {
            config.password(password);
        }
        return new JedisPooled(new HostAndPort("127.0.0.1", port), config.build());
    }

    @Test
    void aPooledClientIsUpWithRoundTripVersionAndRole() {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                JedisPooled jedis = pooled(redis.port(), null, 2000)) {
            JedisRedisCheck check = JedisRedisCheck.of(jedis);

            CheckResult r = check.check();

            assertThat(check.kind()).isEqualTo(CheckKind.DATASTORE);
            assertThat(r.status()).isEqualTo(Status.UP);
            assertThat(r.data())
                    .containsEntry("role", "master")
                    .containsEntry("mode", "standalone")
                    .containsKeys("roundTripMs", "version", "connectedReplicas");
        }
    }

    @Test
    void aStoppedServerIsDownAndARestartedOneIsUpAgain() {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                JedisPooled jedis = pooled(redis.port(), null, 2000)) {
            JedisRedisCheck check = JedisRedisCheck.of(jedis);
            assertThat(check.check().status()).isEqualTo(Status.UP);

            redis.stop();
            // the pooled connection notices the closed socket first, then new connections are refused
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                CheckResult down = check.check();
                assertThat(down.status()).isEqualTo(Status.DOWN);
                assertThat(down.message())
                        .startsWith("cannot reach Redis: JedisConnectionException: Failed to connect to" + " 127.0.0.1:"
                                + redis.port())
                        .endsWith("(ConnectException: Connection refused)");
            });

            redis.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> check.check().status() == Status.UP);
        }
    }

    @Test
    void aWrongOrMissingPasswordIsDownNamingRedisError() {
        try (EmbeddedRedis redis = EmbeddedRedis.builder().requirePass(PASSWORD).start();
                JedisPooled wrong = pooled(redis.port(), "wrong-" + PASSWORD, 2000);
                JedisPooled missing = pooled(redis.port(), null, 2000);
                JedisPooled right = pooled(redis.port(), PASSWORD, 2000)) {
            CheckResult w = JedisRedisCheck.of(wrong).check();
            assertThat(w.status()).isEqualTo(Status.DOWN);
            assertThat(w.message())
                    .startsWith("Redis rejected the login: WRONGPASS")
                    .doesNotContain(PASSWORD);

            CheckResult m = JedisRedisCheck.of(missing).check();
            assertThat(m.status()).isEqualTo(Status.DOWN);
            assertThat(m.message())
                    .isEqualTo("Redis requires authentication and the check did not authenticate:"
                            + " NOAUTH Authentication required.");

            assertThat(JedisRedisCheck.of(right).check().status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aBlackHoledServerIsDownWhenTheClientsSocketTimeoutPasses() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                BlackHoleProxy proxy = new BlackHoleProxy(redis.host(), redis.port());
                JedisPooled jedis = pooled(proxy.port(), null, 300)) {
            JedisRedisCheck check = JedisRedisCheck.of(jedis);
            assertThat(check.check().status()).isEqualTo(Status.UP);

            proxy.blackHole();
            CompletableFuture<CheckResult> result = Background.supply(check::check);
            await().atMost(Duration.ofSeconds(5)).until(result::isDone);
            assertThat(result.get().status()).isEqualTo(Status.DOWN);
            assertThat(result.get().message()).isEqualTo("no answer to PING within the Jedis socket timeout");
        }
    }

    @Test
    void aJedisClusterIsUpWhileTheClusterIsOkAndDownWhenNoNodeAnswers() {
        try (EmbeddedRedis node = RedisFixtures.singleNodeCluster();
                JedisCluster cluster = new JedisCluster(
                        new HostAndPort(node.host(), node.port()),
                        500,
                        500,
                        1,
                        new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>())) {
            JedisRedisCheck check = JedisRedisCheck.of(cluster);

            CheckResult ok = check.check();
            assertThat(ok.status()).isEqualTo(Status.UP);
            assertThat(ok.data()).containsEntry("mode", "cluster").containsKey("roundTripMs");

            node.stop();
            await().atMost(Duration.ofSeconds(10)).until(() -> check.check().status() == Status.DOWN);
        }
    }
}
