package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.health.BreakerState;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.test.Background;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Re-registering a check (a config reload, a DataSource swap) is not a fault. */
class RegistrationFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    @Test
    void reRegisteringWhileTheOldExecutionIsWithinItsTimeoutDoesNotFailTheNewRegistration() throws Exception {
        HealthRegistry health = faults.registry();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        health.register(
                "db",
                () -> {
                    entered.countDown();
                    release.await(10, TimeUnit.SECONDS);
                    return CheckResult.up();
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofSeconds(5))
                        .build());
        CompletableFuture<Outcome> inFlight =
                Background.supply(() -> health.evaluate(Probe.READINESS).outcome());
        try {
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            health.unregister("db");
            Faults.Counting swapped = new Faults.Counting();
            health.register(
                    "db", swapped, CheckPolicy.builder().cacheTtl(Duration.ZERO).build());

            CheckEntry db = health.evaluate(Probe.READINESS).checks().get(0);

            assertThat(db.status()).as(db.message()).isEqualTo(Status.UP);
            assertThat(swapped.calls.get()).isEqualTo(1);
        } finally {
            release.countDown();
            inFlight.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void metricsOfAReRegisteredNameFollowTheNewRegistration() {
        HealthRegistry health = faults.registry();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new HealthMetrics(health).bindTo(meters);
        health.register(
                "db",
                () -> CheckResult.down("refused"),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .circuitBreaker(1, Duration.ofMinutes(5))
                        .build());
        assertThat(health.evaluate(Probe.READINESS).checks().get(0).breaker()).isEqualTo(BreakerState.OPEN);
        assertThat(health.flushEvents(Duration.ofSeconds(5))).isTrue();
        assertThat(gauge(meters, "health.check.circuit.state")).isEqualTo(2.0);

        health.unregister("db");
        health.register(
                "db",
                new Faults.Counting(),
                CheckPolicy.builder().optional().cacheTtl(Duration.ZERO).build());
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.flushEvents(Duration.ofSeconds(5))).isTrue();

        assertThat(gauge(meters, "health.check.circuit.state")).isEqualTo(0.0);
        assertThat(gauge(meters, "health.check.status")).isEqualTo(1.0);
        assertThat(gauge(meters, "health.check.required")).isEqualTo(0.0);
        assertThat(gauge(meters, "health.check.consecutive.failures")).isEqualTo(0.0);
    }

    @Test
    void anUnregisteredCheckLeavesNoMetersBehind() {
        HealthRegistry health = faults.registry();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new HealthMetrics(health).bindTo(meters);
        health.register("db", new Faults.Counting());
        health.register("cache", new Faults.Counting());
        health.evaluate(Probe.READINESS);
        assertThat(health.flushEvents(Duration.ofSeconds(5))).isTrue();
        assertThat(meters.find("health.check.status").tag("check", "db").gauge())
                .isNotNull();

        health.unregister("db");
        health.evaluate(Probe.READINESS);
        assertThat(health.flushEvents(Duration.ofSeconds(5))).isTrue();

        assertThat(meters.find("health.check.status").tag("check", "db").gauge())
                .isNull();
        assertThat(meters.find("health.check.status").tag("check", "cache").gauge())
                .isNotNull();
    }

    private static double gauge(SimpleMeterRegistry meters, String name) {
        return meters.get(name).tag("check", "db").gauge().value();
    }
}
