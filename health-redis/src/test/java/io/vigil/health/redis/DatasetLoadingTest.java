package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.test.EmbeddedRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPooled;

/** A real Redis restarted on a large dataset answers LOADING for a while: the classic "Redis not ready". */
class DatasetLoadingTest {

    @Test
    void aServerStillLoadingItsDatasetIsDownSayingSoThroughEveryCheckAndUpOnceLoaded() throws Exception {
        RedisClient lettuce = RedisClient.create();
        // 3300 keys of 10 kB loaded at 3 ms each: about 10 s during which every data command gets -LOADING. Redis 6.2
        // serves clients only between 2 MB chunks of the file (about 0.6 s here), so the checks get 3 s to hear it.
        try (EmbeddedRedis redis = EmbeddedRedis.builder()
                .config("rdbcompression", "no")
                .config("key-load-delay", "3000")
                .start()) {
            try (Jedis admin = new Jedis(redis.host(), redis.port())) {
                admin.sendCommand(
                        () -> "DEBUG".getBytes(StandardCharsets.US_ASCII), "POPULATE", "3300", "key", "10000");
                admin.save();
            }
            redis.stop();
            redis.start(); // listens at once, then loads

            try (JedisPooled jedis = new JedisPooled(
                            new HostAndPort(redis.host(), redis.port()),
                            DefaultJedisClientConfig.builder()
                                    .socketTimeoutMillis(3000)
                                    .connectionTimeoutMillis(3000)
                                    .build());
                    LettuceRedisCheck lettuceCheck = LettuceRedisCheck.builder(
                                    lettuce,
                                    RedisURI.Builder.redis(redis.host(), redis.port())
                                            .build())
                            .timeout(Duration.ofSeconds(3))
                            .build()) {
                Map<String, HealthCheck> checks = new LinkedHashMap<>();
                checks.put(
                        "probe",
                        RedisProbeCheck.builder("redis://127.0.0.1:" + redis.port())
                                .timeout(Duration.ofSeconds(3))
                                .connectTimeout(Duration.ofSeconds(3))
                                .build());
                checks.put("jedis", JedisRedisCheck.of(jedis));
                checks.put("lettuce", lettuceCheck);

                for (Map.Entry<String, HealthCheck> e : checks.entrySet()) {
                    CheckResult r = e.getValue().check();
                    assertThat(r.status()).as(e.getKey()).isEqualTo(Status.DOWN);
                    assertThat(r.message())
                            .as(e.getKey())
                            .isEqualTo("Redis is loading its dataset into memory and cannot serve yet:"
                                    + " LOADING Redis is loading the dataset in memory");
                }
                for (Map.Entry<String, HealthCheck> e : checks.entrySet()) {
                    await().atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(250))
                            .alias(e.getKey())
                            .until(() -> e.getValue().check().status() == Status.UP);
                }
            }
        } finally {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
