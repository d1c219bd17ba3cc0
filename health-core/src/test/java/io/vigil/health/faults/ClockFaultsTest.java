package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.Cause;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The wall clock jumps (NTP, a VM resumed): no TTL, backoff, lock expiry or license TTL may follow it. The
 * registries here run on the real monotonic ticker and a wall clock the test steps by hours.
 */
class ClockFaultsTest {
    private final Faults faults = new Faults();
    private final MutableClock wall = new MutableClock();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    private HealthRegistry registry(HealthRegistry.Builder b) {
        return faults.track(
                b.clock(wall).startedImmediately().logTransitions(false).build());
    }

    @Test
    void steppingTheWallClockBackDoesNotKeepACachedResult() {
        HealthRegistry health = registry(HealthRegistry.builder());
        Faults.Counting check = new Faults.Counting();
        health.register(
                "cached",
                check,
                CheckPolicy.builder().cacheTtl(Duration.ofMillis(100)).build());
        health.evaluate(Probe.READINESS);
        wall.step(Duration.ofHours(-3));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            health.evaluate(Probe.READINESS);
            return check.calls.get() >= 2;
        });
    }

    @Test
    void steppingTheWallClockForwardReleasesNoLockMidMigration() {
        HealthRegistry health = registry(HealthRegistry.builder());
        try (TaskLock lock = health.lock("schema-migration", "Migrating", Duration.ofMinutes(30))) {
            wall.step(Duration.ofHours(2));
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LOCKED);
            assertThat(lock.isHeld()).isTrue();
        }
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void steppingTheWallClockForwardDoesNotEndABreakerBackoff() {
        HealthRegistry health = registry(HealthRegistry.builder());
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "flaky",
                () -> {
                    calls.incrementAndGet();
                    return CheckResult.down("refused");
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .circuitBreaker(1, Duration.ofMinutes(10))
                        .build());
        health.evaluate(Probe.READINESS);
        wall.step(Duration.ofHours(1));
        assertThat(health.evaluate(Probe.READINESS).checks().get(0).cause()).isEqualTo(Cause.CIRCUIT_OPEN);
        assertThat(calls).hasValue(1);
    }

    @Test
    void steppingTheWallClockForwardDoesNotExpireTheLicenseCache() {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry health = registry(
                HealthRegistry.builder().licenseCacheTtl(Duration.ofMinutes(10)).license(() -> {
                    calls.incrementAndGet();
                    return LicenseState.of(LicenseValidity.VALID).withLicensee("Acme");
                }));
        health.evaluate(Probe.READINESS);
        wall.step(Duration.ofHours(5));
        health.evaluate(Probe.READINESS);
        assertThat(calls).hasValue(1);
    }

    @Test
    void theInjectedTickerAloneDecidesWhenACachedResultExpires() {
        MutableClock time = new MutableClock();
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .clock(time)
                .ticker(time::nanos)
                .startedImmediately()
                .logTransitions(false)
                .build());
        Faults.Counting check = new Faults.Counting();
        health.register(
                "cached",
                check,
                CheckPolicy.builder().cacheTtl(Duration.ofSeconds(10)).build());
        health.evaluate(Probe.READINESS);
        time.step(Duration.ofHours(-1));
        time.step(Duration.ofHours(2));
        health.evaluate(Probe.READINESS);
        assertThat(check.calls).as("wall-clock steps decide nothing").hasValue(1);
        time.advance(Duration.ofSeconds(10));
        health.evaluate(Probe.READINESS);
        assertThat(check.calls).hasValue(2);
    }

    @Test
    void steppingTheWallClockBackNeverHidesTheNewestTransition() {
        HealthRegistry health = registry(HealthRegistry.builder());
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "db",
                () -> calls.incrementAndGet() % 2 == 1 ? CheckResult.up() : CheckResult.down("x"),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
        health.evaluate(Probe.READINESS); // UP: the first result, no transition
        health.evaluate(Probe.READINESS); // UP -> DOWN
        wall.step(Duration.ofHours(-1));
        var transitions = health.evaluate(Probe.READINESS).transitions(); // DOWN -> UP, stamped an hour "earlier"

        assertThat(transitions).hasSize(2);
        assertThat(transitions.get(0).to()).as("newest first").isEqualTo(io.vigil.health.Status.UP);
    }
}
