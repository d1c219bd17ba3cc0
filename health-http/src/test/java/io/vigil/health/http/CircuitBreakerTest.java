package io.vigil.health.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.spi.HealthListener;
import io.vigil.health.test.Background;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's circuit breaker around a real upstream: requests are counted at the server, time is moved by
 * hand.
 */
class CircuitBreakerTest {
    private static final Duration BACKOFF = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private Upstream upstream;
    private HealthRegistry registry;

    @BeforeEach
    void start() throws Exception {
        upstream = Upstream.http();
        registry = HealthRegistry.builder()
                .clock(clock)
                .ticker(clock::nanos)
                .startedImmediately()
                .listener(new HealthListener() {
                    @Override
                    public void onBreakerTransition(String check, BreakerState from, BreakerState to) {
                        transitions.add(from + "->" + to);
                    }
                })
                .build();
    }

    @AfterEach
    void stop() {
        registry.close();
        upstream.close();
    }

    private CheckEntry fhir() {
        return registry.evaluate(Probe.READINESS).checks().get(0);
    }

    private void register(int failures, Duration policyTimeout, Duration requestTimeout) {
        registry.register(
                "fhir",
                HttpCheck.builder(upstream.url("/metadata"))
                        .requestTimeout(requestTimeout)
                        .build(),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(policyTimeout)
                        .circuitBreaker(failures, BACKOFF)
                        .build());
    }

    @Test
    void failingUpstreamIsProbedOncePerBackoffUntilItRecovers() {
        register(3, Duration.ofSeconds(2), Duration.ofSeconds(1));
        upstream.answer(Upstream.status(503));

        // closed: every evaluation reaches the upstream until the third consecutive failure opens the breaker
        for (int i = 1; i <= 3; i++) {
            CheckEntry s = fhir();
            assertThat(s.status()).isEqualTo(Status.DOWN);
            assertThat(upstream.requests()).isEqualTo(i);
            assertThat(s.breaker()).isEqualTo(i < 3 ? BreakerState.CLOSED : BreakerState.OPEN);
        }

        // open: probes are answered from the last failure without touching the upstream
        for (int i = 0; i < 10; i++) {
            CheckEntry s = fhir();
            assertThat(s.cause()).isEqualTo(Cause.CIRCUIT_OPEN);
            assertThat(s.breaker().gaugeValue()).isEqualTo(2);
            assertThat(s.message()).startsWith("circuit open after repeated failures; last: HTTP 503 from");
            assertThat(s.data()).containsEntry("statusCode", 503);
        }
        clock.advance(BACKOFF.minusSeconds(1));
        assertThat(fhir().retryAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(upstream.requests()).isEqualTo(3);

        // half-open: one trial when the backoff has passed; it fails, so the breaker opens again
        clock.advance(Duration.ofSeconds(1));
        CheckEntry trial = fhir();
        assertThat(trial.cause()).isEqualTo(Cause.REPORTED);
        assertThat(trial.breaker()).isEqualTo(BreakerState.OPEN);
        assertThat(upstream.requests()).isEqualTo(4);
        fhir();
        fhir();
        assertThat(upstream.requests()).isEqualTo(4);

        // the upstream recovers, but nobody asks it before the next backoff has passed
        upstream.answer(Upstream.status(200));
        assertThat(fhir().status()).isEqualTo(Status.DOWN);
        assertThat(upstream.requests()).isEqualTo(4);
        clock.advance(BACKOFF);
        CheckEntry recovered = fhir();
        assertThat(recovered.status()).isEqualTo(Status.UP);
        assertThat(recovered.breaker().gaugeValue()).isZero();
        assertThat(upstream.requests()).isEqualTo(5);

        // closed again: every evaluation reaches the upstream
        fhir();
        fhir();
        assertThat(upstream.requests()).isEqualTo(7);
        // listeners are told on the engine's thread, just after the evaluation completes
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(transitions)
                        .containsExactly(
                                "CLOSED->OPEN",
                                "OPEN->HALF_OPEN",
                                "HALF_OPEN->OPEN",
                                "OPEN->HALF_OPEN",
                                "HALF_OPEN->CLOSED"));
    }

    @Test
    void openBreakerTellsCallersWhenToRetry() {
        register(1, Duration.ofSeconds(2), Duration.ofSeconds(1));
        upstream.answer(Upstream.status(500));
        HealthHandler handler =
                HealthHandler.builder(registry).details(DetailsPolicy.ALWAYS).build();

        fhir();
        clock.advance(Duration.ofSeconds(10));
        HealthResponse response =
                handler.handle(HealthRequest.builder("GET", "/health/ready").build());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("Retry-After", "20");
        assertThat(upstream.requests()).isEqualTo(1);
    }

    @Test
    void concurrentProbesDuringTheHalfOpenTrialShareOneUpstreamCall() throws Exception {
        register(2, Duration.ofSeconds(8), Duration.ofSeconds(6));
        upstream.answer(Upstream.status(503));
        fhir();
        fhir();
        assertThat(upstream.requests()).isEqualTo(2);
        clock.advance(BACKOFF);

        CountDownLatch release = new CountDownLatch(1);
        upstream.answer(ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Upstream.status(503).handle(ex);
        });
        List<CompletableFuture<CheckEntry>> probes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            probes.add(Background.supply(this::fhir));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> upstream.requests() == 3);
        release.countDown();
        CompletableFuture.allOf(probes.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);

        assertThat(probes).allSatisfy(p -> assertThat(p.join().status()).isEqualTo(Status.DOWN));
        assertThat(upstream.requests()).isEqualTo(3);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() ->
                        assertThat(transitions).containsExactly("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN"));
    }
}
