package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Thresholds and the breaker agree: the breaker counts reported failures, never tolerated ones. */
class BreakerFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    @Test
    void aBlipToleratedByTheThresholdsNeverOpensTheBreaker() {
        HealthRegistry health = faults.registry();
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "db",
                () -> {
                    int n = calls.incrementAndGet();
                    return n == 2 || n == 3 ? CheckResult.down("blip") : CheckResult.up();
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .thresholds(5, 1)
                        .circuitBreaker(2, Duration.ofSeconds(30))
                        .build());
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);

        for (int i = 1; i <= 2; i++) {
            CheckEntry blip = health.evaluate(Probe.READINESS).checks().get(0);
            assertThat(blip.status()).isEqualTo(Status.UP);
            assertThat(blip.message()).contains("tolerated failure " + i + "/5");
            assertThat(blip.breaker()).isEqualTo(BreakerState.CLOSED);
        }
        CheckEntry after = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(after.cause()).isNotEqualTo(Cause.CIRCUIT_OPEN);
        assertThat(after.status()).isEqualTo(Status.UP);
        assertThat(calls.get()).isEqualTo(4);
    }

    @Test
    void theBreakerOpensAfterReportedFailuresAndServesTheLastReportedStatus() {
        HealthRegistry health = faults.registry();
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "db",
                () -> calls.incrementAndGet() == 1 ? CheckResult.up() : CheckResult.down("refused"),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .thresholds(2, 1)
                        .circuitBreaker(2, Duration.ofSeconds(30))
                        .build());

        health.evaluate(Probe.READINESS); // UP
        health.evaluate(Probe.READINESS); // tolerated 1/2
        health.evaluate(Probe.READINESS); // reported DOWN: 1 reported failure
        CheckEntry third = health.evaluate(Probe.READINESS).checks().get(0); // 2 reported failures: opens
        assertThat(third.breaker()).isEqualTo(BreakerState.OPEN);
        CheckEntry open = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(open.cause()).isEqualTo(Cause.CIRCUIT_OPEN);
        assertThat(open.status()).isEqualTo(Status.DOWN);
        assertThat(calls.get()).isEqualTo(4);
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
    }
}
