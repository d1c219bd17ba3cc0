package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.test.Background;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * All three checks registered in a real registry, behind a TCP proxy that starts black-holing: each check answers
 * DOWN with its own timeout message, on time, and repeated probing does not pile up threads.
 */
class BlackHoledRedisTest {

    private static long checkThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vigil-health-check"))
                .count();
    }

    @Test
    void blackHoledChecksAreDownWithinTheirTimeoutAndHoldAtMostAThreadEach() throws Exception {
        RedisClient lettuce = RedisClient.create();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                BlackHoleProxy probeProxy = new BlackHoleProxy(redis.host(), redis.port());
                BlackHoleProxy lettuceProxy = new BlackHoleProxy(redis.host(), redis.port());
                BlackHoleProxy jedisProxy = new BlackHoleProxy(redis.host(), redis.port());
                StatefulRedisConnection<String, String> connection =
                        lettuce.connect(RedisURI.Builder.redis("127.0.0.1", lettuceProxy.port())
                                .withTimeout(Duration.ofSeconds(60))
                                .build());
                JedisPooled jedis = new JedisPooled(
                        new HostAndPort("127.0.0.1", jedisProxy.port()),
                        DefaultJedisClientConfig.builder()
                                .socketTimeoutMillis(400)
                                .connectionTimeoutMillis(400)
                                .build());
                HealthRegistry health =
                        HealthRegistry.builder().startedImmediately().build()) {
            CheckPolicy policy = CheckPolicy.builder()
                    .timeout(Duration.ofSeconds(1))
                    .cacheTtl(Duration.ZERO)
                    .build();
            health.register(
                    "probe",
                    RedisProbeCheck.builder("redis://127.0.0.1:" + probeProxy.port())
                            .timeout(Duration.ofMillis(400))
                            .build(),
                    policy);
            health.register(
                    "lettuce",
                    LettuceRedisCheck.builder(connection)
                            .timeout(Duration.ofMillis(400))
                            .build(),
                    policy);
            health.register("jedis", JedisRedisCheck.of(jedis), policy);
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            long threadsBefore = checkThreads();

            probeProxy.blackHole();
            lettuceProxy.blackHole();
            jedisProxy.blackHole();

            // many callers probing at once, several rounds
            List<Future<HealthReport>> reports = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                reports.add(callers.submit(() -> health.evaluate(Probe.READINESS)));
            }
            CompletableFuture<Void> all = Background.run(() -> reports.forEach(f -> {
                try {
                    f.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
            await().atMost(Duration.ofSeconds(30)).until(all::isDone);
            for (Future<HealthReport> f : reports) {
                assertThat(f.get().outcome()).isEqualTo(Outcome.DOWN);
            }
            // 24 evaluations of 3 stalled checks: single-flight plus the checks' own timeouts keep it to a few threads
            assertThat(checkThreads()).as("engine threads running checks").isLessThanOrEqualTo(threadsBefore + 3);

            // each check gave up on its own, before the engine's 1 s deadline
            var latest = health.latest();
            assertThat(message(latest.get("probe")))
                    .isEqualTo("no answer to PING from 127.0.0.1:" + probeProxy.port() + " within 400 ms");
            // the first run timed out; later ones see its PING still unanswered and send nothing more
            assertThat(message(latest.get("lettuce")))
                    .matches("no answer (to PING within 400 ms|yet to the PING sent \\d+ ms ago; not sending another)");
            assertThat(message(latest.get("jedis"))).isEqualTo("no answer to PING within the Jedis socket timeout");

            // healed: the proxies forward again
            probeProxy.forward();
            lettuceProxy.forward();
            jedisProxy.forward();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
        } finally {
            callers.shutdownNow();
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    private static String message(CheckEntry status) {
        return status.message();
    }
}
