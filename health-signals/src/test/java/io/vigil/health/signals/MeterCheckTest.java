package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The window arithmetic of {@link MeterCheck} with an injected ticker and a {@link SimpleMeterRegistry}. */
class MeterCheckTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final AtomicLong now = new AtomicLong(123_456_789L);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aGaugeAboveItsFailLimitIsDownAndSaysWhichLimit() {
        AtomicInteger inProgress = registry.gauge("events.in.progress", new AtomicInteger(150));
        MeterCheck check = MeterCheck.gauge(registry, MeterQuery.of("events.in.progress"))
                .failAbove(100)
                .build();

        CheckResult r = check.check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("events.in.progress 150 is above the fail limit 100");
        assertThat(r.data()).containsEntry("value", 150.0).containsEntry("failAbove", 100.0);
        inProgress.set(100);
        assertThat(check.check().status()).isEqualTo(Status.UP);
    }

    @Test
    void gaugesMatchingTheTagsAreAddedAndOthersIgnored() {
        Gauge.builder("breaker.state", () -> 1)
                .tags("name", "payments", "state", "open")
                .register(registry);
        Gauge.builder("breaker.state", () -> 0)
                .tags("name", "stock", "state", "open")
                .register(registry);
        Gauge.builder("breaker.state", () -> 1)
                .tags("name", "stock", "state", "closed")
                .register(registry);

        CheckResult r = MeterCheck.gauge(registry, MeterQuery.of("breaker.state", "name", "payments", "state", "open"))
                .failAbove(0)
                .build()
                .check();
        CheckResult stock = MeterCheck.gauge(registry, MeterQuery.of("breaker.state", "name", "stock", "state", "open"))
                .failAbove(0)
                .build()
                .check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).startsWith("breaker.state{name=payments,state=open} 1 is above");
        assertThat(stock.status()).isEqualTo(Status.UP);
    }

    @Test
    void aMissingMeterIsUpByDefaultAndDownWhenSet() {
        CheckResult up = MeterCheck.gauge(registry, MeterQuery.of("nope"))
                .failAbove(1)
                .build()
                .check();
        CheckResult down = MeterCheck.gauge(registry, MeterQuery.of("nope"))
                .failAbove(1)
                .whenMissing(Status.DOWN)
                .build()
                .check();

        assertThat(up.status()).isEqualTo(Status.UP);
        assertThat(up.message()).isEqualTo("no such meter: nope");
        assertThat(down.status()).isEqualTo(Status.DOWN);
    }

    @Test
    void aRateIsTheIncreasePerSecondOverTheWindow() {
        Counter failed = registry.counter("orders.failed");
        MeterCheck check = MeterCheck.rate(registry, MeterQuery.of("orders.failed"))
                .window(Duration.ofMinutes(1))
                .failAbove(5)
                .ticker(now::get)
                .build();

        advance(Duration.ofSeconds(10));
        failed.increment(40);
        CheckResult warming = check.check(); // 10 s of a 1 min window: rate over what there is
        advance(Duration.ofSeconds(10));
        failed.increment(80);
        CheckResult r = check.check();

        assertThat(warming.status()).isEqualTo(Status.UP);
        assertThat(warming.data()).containsEntry("value", 4.0).containsEntry("samples", 40L);
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("value", 6.0).containsEntry("windowSeconds", 20.0);
        assertThat(r.message()).isEqualTo("rate of orders.failed 6 /s is above the fail limit 5 /s");
    }

    @Test
    void eventsOlderThanTheWindowNoLongerCount() {
        Counter failed = registry.counter("orders.failed");
        MeterCheck check = MeterCheck.rate(registry, MeterQuery.of("orders.failed"))
                .failAbove(1)
                .ticker(now::get)
                .build();
        failed.increment(600);
        for (int i = 0; i < 24; i++) { // two minutes of probes every 5 s, no new events
            advance(Duration.ofSeconds(5));
            check.check();
        }
        CheckResult r = check.check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("value", 0.0).containsEntry("windowSeconds", 60.0);
    }

    @Test
    void aMeterRegisteredLateIsFollowedFromItsFirstSighting() {
        MeterCheck check = MeterCheck.rate(registry, MeterQuery.of("late"))
                .failAbove(1)
                .ticker(now::get)
                .build();
        assertThat(check.check().message()).isEqualTo("no such meter: late");

        Counter late = registry.counter("late");
        late.increment(1000); // counted before the check saw it: not part of any window
        assertThat(check.check().message()).startsWith("not enough data");
        advance(Duration.ofSeconds(10));
        late.increment(30);
        CheckResult r = check.check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("value", 3.0);
    }

    @Test
    void aCounterThatIsResetCountsAsGrownFromZero() {
        Counter c = registry.counter("jobs");
        c.increment(500);
        MeterCheck check = MeterCheck.rate(registry, MeterQuery.of("jobs"))
                .warnAbove(100)
                .ticker(now::get)
                .build();
        registry.remove(c);
        registry.counter("jobs").increment(20); // a new counter: 500 -> 20 is a reset, not -480
        advance(Duration.ofSeconds(10));

        CheckResult r = check.check();

        assertThat(r.data()).containsEntry("value", 2.0).containsEntry("samples", 20L);
    }

    @Test
    void aRatioOfTwoCountersOverTheWindowAfterTheMinimumSampleCount() {
        Counter requests = registry.counter("http.requests", "outcome", "SUCCESS");
        Counter errors = registry.counter("http.requests", "outcome", "SERVER_ERROR");
        MeterCheck check = MeterCheck.ratio(
                        registry,
                        MeterQuery.of("http.requests", "outcome", "SERVER_ERROR"),
                        MeterQuery.of("http.requests"))
                .failAbove(0.01)
                .minSamples(100)
                .ticker(now::get)
                .build();

        advance(Duration.ofSeconds(10));
        errors.increment(5);
        requests.increment(4);
        CheckResult few = check.check(); // 5 of 9 failed, but 9 requests say nothing
        advance(Duration.ofSeconds(10));
        requests.increment(971);
        errors.increment(20);
        CheckResult r = check.check();

        assertThat(few.status()).isEqualTo(Status.UP);
        assertThat(few.message()).isEqualTo("not enough data: 9 events in the window, need 100");
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("value", 0.025).containsEntry("samples", 1000L);
    }

    @Test
    void aPublishedPercentileOfATimerIsInSeconds() {
        Timer t = Timer.builder("http.server.requests").publishPercentiles(0.95).register(registry);
        for (int i = 0; i < 100; i++) {
            t.record(Duration.ofMillis(1500));
        }
        MeterCheck check = MeterCheck.percentile(registry, MeterQuery.of("http.server.requests"), 0.95)
                .failAbove(1.0)
                .minSamples(0)
                .build();

        CheckResult r = check.check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat((Double) r.data().get("value")).isBetween(1.4, 1.6);
        assertThat(r.message()).matches("p95 of http\\.server\\.requests 1\\.\\d+ s is above the fail limit 1 s");
    }

    @Test
    void aPercentileFromHistogramBucketsIsInterpolatedAcrossMatchingTimers() {
        Duration[] slos = {Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2)
        };
        Timer a = Timer.builder("rpc")
                .tag("uri", "/a")
                .serviceLevelObjectives(slos)
                .register(registry);
        Timer b = Timer.builder("rpc")
                .tag("uri", "/b")
                .serviceLevelObjectives(slos)
                .register(registry);
        for (int i = 0; i < 45; i++) {
            a.record(50, TimeUnit.MILLISECONDS);
            b.record(50, TimeUnit.MILLISECONDS);
        }
        for (int i = 0; i < 5; i++) {
            a.record(1500, TimeUnit.MILLISECONDS);
            b.record(1500, TimeUnit.MILLISECONDS);
        }

        CheckResult r = MeterCheck.percentile(registry, MeterQuery.of("rpc"), 0.95)
                .failAbove(1.0)
                .minSamples(0)
                .build()
                .check();

        // 90 of 100 at or below 1 s, 100 at or below 2 s: rank 95 is halfway into (1 s, 2 s]
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("value", 1.5).containsEntry("unit", "s");
    }

    @Test
    void aPercentileNeedsTheMinimumSampleCountInTheWindow() {
        Timer t = Timer.builder("slow").publishPercentiles(0.95).register(registry);
        MeterCheck check = MeterCheck.percentile(registry, MeterQuery.of("slow"), 0.95)
                .failAbove(1.0)
                .ticker(now::get)
                .build();
        advance(Duration.ofSeconds(10));
        for (int i = 0; i < 9; i++) {
            t.record(Duration.ofSeconds(3));
        }
        assertThat(check.check().message()).isEqualTo("not enough data: 9 events in the window, need 10");

        t.record(Duration.ofSeconds(3));
        advance(Duration.ofSeconds(5));
        assertThat(check.check().status()).isEqualTo(Status.DOWN);
    }

    @Test
    void aTimerWithoutPercentilesOrHistogramIsDegradedNamingTheFix() {
        Timer.builder("plain").register(registry).record(Duration.ofSeconds(2));

        CheckResult r = MeterCheck.percentile(registry, MeterQuery.of("plain"), 0.99)
                .failAbove(1)
                .minSamples(0)
                .build()
                .check();

        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message()).contains("publishPercentileHistogram()").contains("timer");
    }

    @Test
    void theMaxOfATimerIsInSeconds() {
        Timer.builder("batch").register(registry).record(Duration.ofMillis(2500));

        CheckResult r = MeterCheck.max(registry, MeterQuery.of("batch"))
                .failAbove(1)
                .minSamples(0)
                .build()
                .check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("value", 2.5);
    }

    @Test
    void aRateOfAGaugeIsDegradedNamingTheMistake() {
        registry.gauge("queue.size", new AtomicInteger(3));

        CheckResult r = MeterCheck.rate(registry, MeterQuery.of("queue.size"))
                .failAbove(1)
                .build()
                .check();

        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message()).isEqualTo("queue.size has no counter (meter types: gauge)");
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> MeterCheck.gauge(registry, MeterQuery.of("x")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> MeterCheck.gauge(registry, MeterQuery.of("x"))
                        .warnAbove(10)
                        .failAbove(5)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds");
        assertThatThrownBy(() -> MeterCheck.percentile(registry, MeterQuery.of("x"), 95))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MeterQuery.of("x", "odd")).isInstanceOf(IllegalArgumentException.class);
        assertThat(MeterCheck.gauge(registry, MeterQuery.of("x"))
                        .failAbove(1)
                        .build()
                        .nonBlocking())
                .isTrue();
    }
}
