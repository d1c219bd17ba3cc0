package io.vigil.health.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A probe served wholly from the cache reuses the entries of the previous one (constant time, no entry array) only
 * while they are what the cache would serve again: a result recorded meanwhile, an expired TTL, a refreshed check
 * turning stale and a change of registrations each end the reuse at once. Time is the injected ticker.
 */
class CachedProbeTest {
    private final MutableClock clock = new MutableClock();
    private HealthRegistry registry;

    @AfterEach
    void close() {
        if (registry != null) {
            registry.close();
        }
    }

    private HealthRegistry registry(MutableClock ticker) {
        registry = HealthRegistry.builder()
                .startedImmediately()
                .clock(clock)
                .ticker(ticker::nanos)
                .build();
        return registry;
    }

    private static CheckEntry entry(HealthReport report, String name) {
        return report.checks().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aResultRecordedInTheBackgroundIsServedAtOnceThoughNoCachedEntryExpired() {
        MutableClock frozen = new MutableClock(); // never advanced: no TTL and no staleness ever ends
        // (the refreshed check has no TTL of its own, or its refreshes would find their last result fresh forever)
        HealthRegistry health = registry(frozen);
        AtomicReference<CheckResult> refreshed = new AtomicReference<>(CheckResult.up());
        health.register(
                "cached",
                CheckResult::up,
                CheckPolicy.builder().cacheTtl(Duration.ofHours(1)).build());
        health.register(
                "refreshed",
                refreshed::get,
                CheckPolicy.builder()
                        .refreshEvery(Duration.ofMillis(10))
                        .cacheTtl(Duration.ZERO)
                        .build());
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        entry(health.evaluate(Probe.READINESS), "refreshed").cause() == Cause.REPORTED);
        health.evaluate(Probe.READINESS); // served from the cache: the entries are reused from here on

        refreshed.set(CheckResult.down("gone"));

        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        entry(health.evaluate(Probe.READINESS), "refreshed").status() == Status.DOWN);
        assertThat(entry(health.evaluate(Probe.READINESS), "refreshed").message())
                .isEqualTo("gone");
    }

    @Test
    void aCachedEntryIsReusedUntilItsTtlEndsAndNotOneNanosecondLonger() {
        HealthRegistry health = registry(clock);
        AtomicInteger calls = new AtomicInteger();
        health.register(
                "db",
                () -> {
                    calls.incrementAndGet();
                    return CheckResult.up();
                },
                CheckPolicy.builder().cacheTtl(Duration.ofSeconds(10)).build());
        health.evaluate(Probe.READINESS);
        health.evaluate(Probe.READINESS);

        clock.advance(Duration.ofSeconds(10).minusNanos(1));
        HealthReport last = health.evaluate(Probe.READINESS);
        assertThat(calls).hasValue(1);
        assertThat(entry(last, "db").cached()).isTrue();

        clock.advance(Duration.ofNanos(1));
        HealthReport fresh = health.evaluate(Probe.READINESS);
        assertThat(calls).hasValue(2);
        assertThat(entry(fresh, "db").cached()).isFalse();
    }

    @Test
    void aRefreshedCheckWhoseRefreshStoppedTurnsStaleWhileTheOthersAreReused() {
        HealthRegistry health = registry(clock);
        health.register(
                "cached",
                CheckResult::up,
                CheckPolicy.builder().cacheTtl(Duration.ofHours(10)).build());
        health.register(
                "refreshed",
                CheckResult::up,
                CheckPolicy.builder()
                        .refreshEvery(Duration.ofHours(1))
                        .timeout(Duration.ofSeconds(1))
                        .build());
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        entry(health.evaluate(Probe.READINESS), "refreshed").cause() == Cause.REPORTED);
        health.evaluate(Probe.READINESS);

        clock.advance(Duration.ofHours(3).plusNanos(1)); // past 3 periods: the next refresh is due in real time only

        HealthReport report = health.evaluate(Probe.READINESS);
        assertThat(entry(report, "refreshed").cause()).isEqualTo(Cause.STALE);
        assertThat(entry(report, "refreshed").status()).isEqualTo(Status.DOWN);
    }

    @Test
    void aCheckRegisteredOrRemovedBetweenCachedProbesShowsInTheNextOne() {
        HealthRegistry health = registry(clock);
        CheckPolicy hour = CheckPolicy.builder().cacheTtl(Duration.ofHours(1)).build();
        health.register("a", CheckResult::up, hour);
        health.evaluate(Probe.READINESS);
        health.evaluate(Probe.READINESS);

        health.register("b", () -> CheckResult.down("b is down"), hour);
        assertThat(health.evaluate(Probe.READINESS).checks())
                .extracting(CheckEntry::name)
                .containsExactly("a", "b");
        assertThat(health.evaluate(Probe.READINESS).checks())
                .extracting(CheckEntry::name)
                .containsExactly("a", "b");

        health.unregister("b");
        assertThat(health.evaluate(Probe.READINESS).checks())
                .extracting(CheckEntry::name)
                .containsExactly("a");
    }
}
