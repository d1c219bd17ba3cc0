package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import io.vigil.health.test.HeldDelayScheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** LettuceRedisCheck is asynchronous: no engine thread waits for Redis, and the time left bounds each run. */
class LettuceAsyncTest {
    private EmbeddedRedis redis;
    private BlackHoleProxy proxy;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private HealthRegistry health;

    @BeforeEach
    void start() throws Exception {
        redis = EmbeddedRedis.startDefault();
        proxy = new BlackHoleProxy(redis.host(), redis.port());
        client = RedisClient.create();
        connection = client.connect(RedisURI.Builder.redis("127.0.0.1", proxy.port())
                .withTimeout(Duration.ofSeconds(20))
                .build());
        health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        health.close();
        proxy.forward();
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        proxy.close();
        redis.close();
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vigil-health-check"))
                .count();
    }

    /** The check on the proxied connection: its own timeout 20 s, registration 100 ms, uncached. */
    private void registerUncached() {
        health.register(
                "redis",
                LettuceRedisCheck.builder(connection)
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(100))
                        .build());
    }

    @Test
    void probesOfAStalledRedisHoldNoEngineThreadAndRecoverWhenItAnswers() {
        registerUncached();
        // the path works (asked with time enough: on a loaded machine a first run may take longer than the 100 ms
        // under test, which is no fault of the path)
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);

        proxy.stall();
        for (int i = 0; i < 20; i++) {
            CheckEntry s = health.evaluate(Probe.READINESS).checks().get(0);
            assertThat(s.status()).isEqualTo(Status.DOWN);
        }
        assertThat(engineThreads()).isZero();

        proxy.forward();
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
        assertThat(engineThreads()).isZero();
    }

    /**
     * The run's own timer (the JDK's one delay-scheduler thread behind {@code orTimeout}) woken late, as a loaded
     * machine wakes it: the engine's deadline passes first, and the answer still names the command Redis did not
     * answer, not the engine's generic "timed out after 100 ms" (red before LettuceRedisCheck described its timeout;
     * made certain here by holding that thread).
     */
    @Test
    @SuppressWarnings("try") // the hold works by existing: its body never names it
    void aTimerWokenLateStillGivesTheChecksOwnDiagnosis() throws Exception {
        registerUncached();
        proxy.stall();
        try (HeldDelayScheduler held = HeldDelayScheduler.hold()) { // the check's own timer fires late
            CheckEntry s = health.evaluate(Probe.READINESS).checks().get(0);

            assertThat(s.status()).isEqualTo(Status.DOWN);
            assertThat(s.message()).as("the check's own diagnosis").startsWith("no answer to PING within ");
        }
    }

    @Test
    void theTimeTheEngineHasLeftBoundsTheRunWhenShorterThanTheChecksTimeout() throws Exception {
        LettuceRedisCheck check = LettuceRedisCheck.builder(connection)
                .timeout(Duration.ofSeconds(20))
                .build();
        proxy.stall();
        CheckResult r = check.checkAsync(CheckContext.within(Duration.ofMillis(150)))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(Status.DOWN);
        Matcher m = Pattern.compile("no answer to PING within (\\d+) ms").matcher(r.message());
        assertThat(m.find()).as(r.message()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isLessThanOrEqualTo(150);
    }
}
