package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/**
 * The Jedis check and the application's pool: it never queues for a connection the application waits for, and
 * while Redis stalls it holds at most one connection; afterwards the pool's counters are back at their baseline.
 * Counts (pool counters, the server's clients), with generous bounds on waits.
 */
class JedisUnderStallTest {
    private EmbeddedRedis redis;
    private BlackHoleProxy proxy;

    @BeforeEach
    void start() throws Exception {
        redis = EmbeddedRedis.startDefault();
        proxy = new BlackHoleProxy(redis.host(), redis.port());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.forward();
        proxy.close();
        redis.close();
    }

    private static JedisPooled pooled(int port, int maxTotal, int socketTimeoutMillis) {
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(maxTotal);
        pool.setMaxIdle(maxTotal);
        pool.setMaxWait(Duration.ofSeconds(5));
        return new JedisPooled(
                new HostAndPort("127.0.0.1", port),
                DefaultJedisClientConfig.builder()
                        .connectionTimeoutMillis(socketTimeoutMillis)
                        .socketTimeoutMillis(socketTimeoutMillis)
                        .build(),
                pool);
    }

    private static HealthRegistry registry(JedisRedisCheck check, Duration timeout) {
        HealthRegistry health = HealthRegistry.builder().startedImmediately().build();
        health.register(
                "redis",
                check,
                CheckPolicy.builder().timeout(timeout).cacheTtl(Duration.ZERO).build());
        return health;
    }

    @Test
    void aCheckNeverQueuesForThePoolsOnlyConnectionWhileTheApplicationWaits() throws Exception {
        try (JedisPooled jedis = pooled(redis.port(), 1, 2000);
                HealthRegistry health = registry(JedisRedisCheck.of(jedis), Duration.ofSeconds(1))) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            Connection held = jedis.getPool().getResource(); // the application uses the only connection
            CompletableFuture<String> appWaits = Background.supply(() -> jedis.set("k", "v"));
            await("the application waits for it")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> jedis.getPool().getNumWaiters() == 1);

            CheckEntry check = health.evaluate(Probe.READINESS).checks().get(0);

            assertThat(check.cause())
                    .as("answered by the check, not cut off while queueing")
                    .isEqualTo(Cause.REPORTED);
            assertThat(check.status()).isEqualTo(Status.DEGRADED);
            assertThat(check.message())
                    .isEqualTo(
                            "Jedis pool exhausted (1 of 1 connections in use, 1 thread waiting);" + " PING not sent");
            assertThat(check.data())
                    .containsEntry("pool.active", 1)
                    .containsEntry("pool.waiting", 1)
                    .containsEntry("pool.max", 1);
            assertThat(jedis.getPool().getNumWaiters())
                    .as("threads waiting for a connection")
                    .isEqualTo(1);

            held.close();
            assertThat(appWaits.get()).as("the application's command").isEqualTo("OK");
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        }
    }

    @Test
    void aPooledCheckDuringAStallHoldsAtMostOneConnectionAndThePoolRecovers() {
        try (JedisPooled jedis = pooled(proxy.port(), 3, 400);
                // the registration's timeout (200 ms) is shorter than the client's socket timeout (400 ms)
                HealthRegistry health = registry(JedisRedisCheck.of(jedis), Duration.ofMillis(200))) {
            await("UP before the stall")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            int baseline = serverClients();

            proxy.stall();
            int peakActive = 0;
            for (int i = 0; i < 8; i++) {
                assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
                peakActive = Math.max(peakActive, jedis.getPool().getNumActive());
            }
            assertThat(peakActive)
                    .as("connections lent to the check during the stall")
                    .isLessThanOrEqualTo(1);

            proxy.forward();
            await("the check answers again")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
            await("the pool is back at its baseline")
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> {
                        assertThat(jedis.getPool().getNumActive()).isZero();
                        assertThat(jedis.getPool().getNumWaiters()).isZero();
                        assertThat(serverClients()).isLessThanOrEqualTo(Math.max(baseline, 1) + 1);
                    });
            assertThat(jedis.set("app-key", "v"))
                    .as("the application's own command")
                    .isEqualTo("OK");
        }
    }

    /** Clients connected to Redis, not counting the one asking. */
    private int serverClients() {
        try (Jedis admin = new Jedis(redis.host(), redis.port())) {
            return (int) admin.clientList().lines().filter(l -> !l.isBlank()).count() - 1;
        }
    }
}
