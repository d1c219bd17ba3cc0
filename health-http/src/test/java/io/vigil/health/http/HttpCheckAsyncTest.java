package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.HeldDelayScheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HttpCheck is asynchronous: the engine holds no thread while an upstream is silent, and the budget is its own. */
class HttpCheckAsyncTest {
    private Upstream upstream;
    private HealthRegistry health;

    @BeforeEach
    void start() throws Exception {
        upstream = Upstream.http();
        health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build();
    }

    @AfterEach
    void stop() {
        health.close();
        upstream.close();
    }

    private static long engineThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("vigil-health-check"))
                .count();
    }

    /** The check of the upstream through the proxy: request timeout 5 s, registration 100 ms, uncached. */
    private void registerThrough(BlackHoleProxy proxy) {
        health.register(
                "upstream",
                HttpCheck.builder("http://127.0.0.1:" + proxy.port() + "/")
                        .requestTimeout(Duration.ofSeconds(5))
                        .build(),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofMillis(100))
                        .build());
    }

    @Test
    void aBlackHoledUpstreamCostsTheEngineNoThreadAndEachProbeEndsAtItsDeadline() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", upstream.port())) {
            upstream.answer(Upstream.status(204));
            registerThrough(proxy);
            // the path works (asked with time enough: a first exchange on a loaded machine may take longer than the
            // 100 ms under test, which is no fault of the path)
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);

            proxy.blackHole();
            for (int i = 0; i < 20; i++) {
                CheckEntry s = health.evaluate(Probe.READINESS).checks().get(0);
                assertThat(s.status()).isEqualTo(Status.DOWN);
                // the exchange's own timeout (the time left less the reserve) usually ends it first: REPORTED
                // "timed out after"; else the engine's deadline: TIMEOUT; a probe right after one the engine timed
                // out may find the cancelled exchange still finishing: TIMEOUT "still running after"
                assertThat(s.cause()).isIn(Cause.REPORTED, Cause.TIMEOUT);
                assertThat(s.message()).containsAnyOf("timed out after", "still running after");
            }
            assertThat(engineThreads()).isZero();
        }
    }

    /**
     * The JDK's shared delay-scheduler thread held, as a loaded machine delays it (the thread that made KafkaCheck's
     * own diagnosis lose to the engine's generic timeout): the HTTP check does not depend on it for a silent
     * upstream, because the client's request timeout runs on the client's own thread, so the answer still names the
     * request. Green before and after; it pins that property.
     */
    @Test
    @SuppressWarnings("try") // the hold works by existing: its body never names it
    void aTimerWokenLateStillGivesTheChecksOwnDiagnosis() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", upstream.port())) {
            proxy.blackHole();
            registerThrough(proxy);
            try (HeldDelayScheduler held = HeldDelayScheduler.hold()) { // the check's own timer fires late
                CheckEntry s = health.evaluate(Probe.READINESS).checks().get(0);

                assertThat(s.status()).isEqualTo(Status.DOWN);
                assertThat(s.message())
                        .as("the check's own diagnosis")
                        .startsWith("request to http://127.0.0.1:" + proxy.port() + "/ timed out after ");
            }
        }
    }

    @Test
    void theRequestTimeoutIsTheTimeTheEngineHasLeftWhenThatIsShorter() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", upstream.port())) {
            proxy.blackHole();
            HttpCheck check = HttpCheck.builder("http://127.0.0.1:" + proxy.port() + "/")
                    .requestTimeout(Duration.ofSeconds(30))
                    .build();
            CheckResult r = check.checkAsync(CheckContext.within(Duration.ofMillis(200)))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(Status.DOWN);
            Matcher m = Pattern.compile("timed out after (\\d+) ms").matcher(r.message());
            assertThat(m.find()).as(r.message()).isTrue();
            assertThat(Long.parseLong(m.group(1))).isLessThanOrEqualTo(200);
        }
    }

    @Test
    void cancellingTheStageCancelsTheExchange() throws Exception {
        try (BlackHoleProxy proxy = new BlackHoleProxy("127.0.0.1", upstream.port())) {
            proxy.blackHole();
            HttpCheck check = HttpCheck.builder("http://127.0.0.1:" + proxy.port() + "/")
                    .requestTimeout(Duration.ofSeconds(30))
                    .build();
            var stage = check.checkAsync(CheckContext.within(Duration.ofSeconds(30)))
                    .toCompletableFuture();
            stage.cancel(true);
            assertThat(stage).isCancelled();
            // a fresh exchange still works once the proxy forwards again: nothing of the cancelled one is in the way
            proxy.forward();
            upstream.answer(Upstream.status(204));
            CheckResult r = check.checkAsync(CheckContext.within(Duration.ofSeconds(5)))
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(r.status()).isEqualTo(Status.UP);
        }
    }
}
