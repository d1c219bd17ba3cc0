package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health with a memory: since when, last success, failures in a row, and the ring of recent transitions. */
class HistoryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-15T10:00:00Z"));
    private final List<HealthRegistry> registries = new ArrayList<>();
    /** What the scripted check returns next. */
    private final AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());

    private HealthRegistry registry(int historySize) {
        HealthRegistry r = HealthRegistry.builder()
                .startedImmediately()
                .clock(clock)
                .ticker(clock::nanos)
                .historySize(historySize)
                .logTransitions(false)
                .build();
        registries.add(r);
        return r;
    }

    @AfterEach
    void close() {
        registries.forEach(HealthRegistry::close);
    }

    /** A check playing {@link #next}. */
    private HealthCheck scripted() {
        return next::get;
    }

    /** Runs on the caller's thread, without cache: every evaluation runs the check. */
    private static CheckPolicy uncached() {
        return CheckPolicy.builder().cacheTtl(Duration.ZERO).nonBlocking().build();
    }

    private CheckEntry evaluate(HealthRegistry health, CheckResult result) {
        next.set(result);
        return health.evaluate(Probe.READINESS).checks().get(0);
    }

    @Test
    void transitionsAreRecordedNewestFirstWithTimeFromToAndCause() {
        HealthRegistry health = registry(20);
        health.register("db", scripted(), uncached());
        Instant first = clock.instant();
        evaluate(health, CheckResult.up());
        clock.advance(Duration.ofSeconds(10));
        Instant down = clock.instant();
        evaluate(health, CheckResult.down("refused"));
        clock.advance(Duration.ofSeconds(5));
        Instant degraded = clock.instant();
        evaluate(health, CheckResult.degraded("slow"));

        HealthReport report = health.evaluate(Probe.READINESS);
        assertThat(report.transitions())
                .containsExactly(
                        Transition.of("db", Status.DOWN, Status.DEGRADED, Cause.REPORTED, degraded),
                        Transition.of("db", Status.UP, Status.DOWN, Cause.REPORTED, down));
        assertThat(report.checks().get(0).since()).isEqualTo(degraded);
        assertThat(first).as("the first result is a since, not a transition").isBefore(down);
    }

    @Test
    void aTimeoutIsATransitionWithItsCause() {
        HealthRegistry health = registry(20);
        health.register("db", scripted(), uncached());
        evaluate(health, CheckResult.up());
        clock.advance(Duration.ofSeconds(1));
        next.set(null); // a check that returns no result is DOWN with cause EXCEPTION
        CheckEntry e = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(e.cause()).isEqualTo(Cause.EXCEPTION);
        assertThat(health.evaluate(Probe.READINESS).transitions())
                .extracting(Transition::cause)
                .containsExactly(Cause.EXCEPTION);
    }

    @Test
    void theRingKeepsTheLastNTransitionsOfACheck() {
        HealthRegistry health = registry(3);
        health.register("db", scripted(), uncached());
        List<Instant> changes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clock.advance(Duration.ofSeconds(1));
            evaluate(health, i % 2 == 0 ? CheckResult.up() : CheckResult.down("x"));
            if (i > 0) {
                changes.add(clock.instant());
            }
        }
        List<Transition> ring = health.evaluate(Probe.READINESS).transitions();
        assertThat(ring)
                .hasSize(3)
                .extracting(Transition::at)
                .containsExactly(changes.get(6), changes.get(5), changes.get(4));
        assertThat(ring.get(0).from()).isEqualTo(Status.UP);
        assertThat(ring.get(0).to()).isEqualTo(Status.DOWN);
    }

    @Test
    void sinceIsUnchangedAcrossCachedReadsAndReevaluationsWithTheSameStatus() {
        HealthRegistry health = registry(20);
        health.register(
                "db",
                scripted(),
                CheckPolicy.builder().cacheTtl(Duration.ofSeconds(10)).build());
        next.set(CheckResult.down("refused"));
        Instant downAt = clock.instant();
        CheckEntry fresh = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(fresh.since()).isEqualTo(downAt);

        clock.advance(Duration.ofSeconds(5));
        HealthReport cached = health.evaluate(Probe.READINESS);
        assertThat(cached.checks().get(0).cached()).isTrue();
        assertThat(cached.checks().get(0).since()).isEqualTo(downAt);
        assertThat(cached.checks().get(0).consecutiveFailures())
                .as("a cached read counts nothing")
                .isEqualTo(1);

        clock.advance(Duration.ofSeconds(10));
        CheckEntry again = health.evaluate(Probe.READINESS).checks().get(0);
        assertThat(again.cached()).isFalse();
        assertThat(again.checkedAt()).isAfter(downAt);
        assertThat(again.since()).as("same status, same since").isEqualTo(downAt);
        assertThat(again.consecutiveFailures()).isEqualTo(2);
        assertThat(health.latest("db").since()).isEqualTo(downAt);
    }

    @Test
    void aCachedReadTouchesNoHistory() {
        HealthRegistry health = registry(20);
        health.register(
                "db",
                scripted(),
                CheckPolicy.builder().cacheTtl(Duration.ofMinutes(1)).build());
        evaluate(health, CheckResult.up());
        clock.advance(Duration.ofMinutes(2));
        evaluate(health, CheckResult.down("x"));
        next.set(CheckResult.up()); // would be a transition, if anything ran
        HealthReport first = health.evaluate(Probe.READINESS);
        for (int i = 0; i < 1_000; i++) {
            HealthReport r = health.evaluate(Probe.READINESS);
            assertThat(r.transitions())
                    .as("the same list: nothing merged or stored per request")
                    .isSameAs(first.transitions());
            assertThat(r.checks().get(0)).isSameAs(first.checks().get(0));
        }
        assertThat(first.transitions()).hasSize(1);
        assertThat(first.checks().get(0).cached()).isTrue();
    }

    @Test
    void consecutiveFailuresCountToleratedFailuresAndResetOnSuccess() {
        HealthRegistry health = registry(20);
        health.register(
                "db",
                scripted(),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).thresholds(3, 1).build());
        assertThat(evaluate(health, CheckResult.up()).consecutiveFailures()).isZero();
        CheckEntry tolerated = evaluate(health, CheckResult.down("x"));
        assertThat(tolerated.status()).isEqualTo(Status.UP);
        assertThat(tolerated.consecutiveFailures()).isEqualTo(1);
        evaluate(health, CheckResult.down("x"));
        CheckEntry down = evaluate(health, CheckResult.down("x"));
        assertThat(down.status()).isEqualTo(Status.DOWN);
        assertThat(down.consecutiveFailures()).isEqualTo(3);
        assertThat(evaluate(health, CheckResult.degraded("slow")).consecutiveFailures())
                .isZero();
    }

    @Test
    void lastSuccessIsTheLastUpOrDegradedResult() {
        HealthRegistry health = registry(20);
        health.register(
                "db",
                scripted(),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).thresholds(1, 2).build());
        assertThat(evaluate(health, CheckResult.down("x")).lastSuccess())
                .as("never succeeded")
                .isNull();
        clock.advance(Duration.ofSeconds(1));
        Instant degradedAt = clock.instant();
        CheckEntry recovering = evaluate(health, CheckResult.degraded("slow"));
        assertThat(recovering.status()).as("still recovering").isEqualTo(Status.DOWN);
        assertThat(recovering.lastSuccess()).isEqualTo(degradedAt);
        clock.advance(Duration.ofSeconds(1));
        CheckEntry down = evaluate(health, CheckResult.down("x"));
        assertThat(down.lastSuccess()).isEqualTo(degradedAt);
        assertThat(down.since()).as("DOWN all along: since the first result").isEqualTo(degradedAt.minusSeconds(1));
    }

    @Test
    void aNeverRunCheckHasNoHistory() {
        HealthRegistry health = registry(20);
        health.register("db", scripted(), uncached());
        CheckEntry e = health.latest("db");
        assertThat(e.since()).isNull();
        assertThat(e.lastSuccess()).isNull();
        assertThat(e.consecutiveFailures()).isZero();
    }

    @Test
    void aProbeRemembersSinceWhenItHasItsOutcome() {
        HealthRegistry health = registry(20);
        health.register("db", scripted(), uncached());
        health.register(
                "cache",
                CheckResult::up,
                CheckPolicy.builder().criticality(Criticality.OPTIONAL).build());
        Instant upAt = clock.instant();
        assertThat(evaluateReport(health, CheckResult.up()).since()).isEqualTo(upAt);
        clock.advance(Duration.ofSeconds(30));
        assertThat(evaluateReport(health, CheckResult.up()).since()).isEqualTo(upAt);

        clock.advance(Duration.ofSeconds(30));
        Instant downAt = clock.instant();
        HealthReport down = evaluateReport(health, CheckResult.down("x"));
        assertThat(down.outcome()).isEqualTo(Outcome.DOWN);
        assertThat(down.since()).isEqualTo(downAt);

        clock.advance(Duration.ofSeconds(1));
        HealthReport view = health.evaluate(Scope.of(Probe.READINESS), Set.of("db"));
        assertThat(view.outcome()).isEqualTo(Outcome.UP);
        assertThat(view.since())
                .as("a view whose outcome differs from the recorded one does not know")
                .isNull();
        HealthReport sameView = health.evaluate(Scope.of(Probe.READINESS), Set.of("cache"));
        assertThat(sameView.since()).isEqualTo(downAt);
        assertThat(evaluateReport(health, CheckResult.down("x")).since())
                .as("views record nothing")
                .isEqualTo(downAt);
        assertThat(health.evaluate(Probe.LIVENESS).since())
                .as("each probe has its own memory")
                .isEqualTo(clock.instant());
    }

    private HealthReport evaluateReport(HealthRegistry health, CheckResult result) {
        next.set(result);
        return health.evaluate(Probe.READINESS);
    }

    @Test
    void aReportListsTheTransitionsOfItsScopeOnlyMergedAndTrimmed() {
        HealthRegistry health = registry(4);
        AtomicReference<CheckResult> live = new AtomicReference<>(CheckResult.up());
        health.register("db", scripted(), uncached());
        health.register(
                "heap",
                live::get,
                CheckPolicy.builder()
                        .probes(Probe.LIVENESS)
                        .cacheTtl(Duration.ZERO)
                        .nonBlocking()
                        .build());
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofSeconds(1));
            next.set(i % 2 == 0 ? CheckResult.up() : CheckResult.down("x"));
            live.set(i % 2 == 0 ? CheckResult.down("x") : CheckResult.up());
            health.evaluate(Scope.all(), Set.of());
        }
        List<Transition> all = health.evaluate(Scope.all(), Set.of()).transitions();
        // both checks move in each evaluation (at the same instant): which of the two recorded first is a race
        assertThat(all)
                .hasSize(4)
                .extracting(Transition::subject)
                .containsExactlyInAnyOrder("db", "heap", "db", "heap");
        assertThat(all).extracting(Transition::at).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(health.evaluate(Probe.LIVENESS).transitions())
                .extracting(Transition::subject)
                .containsOnly("heap")
                .hasSize(4);
        assertThat(health.evaluate(Scope.of(Probe.READINESS), Set.of("db")).transitions())
                .as("excluded checks' neither")
                .isEmpty();
    }

    @Test
    void historySizeIsAtLeastOne() {
        assertThatThrownBy(() -> HealthRegistry.builder().historySize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("historySize");
    }

    /**
     * 100,000 probes of a check that changes status on every run: what is kept stays the ring's size, and the
     * counters and times move on. Memory per check is the ring, not the traffic.
     */
    @Test
    void historyStaysBoundedOverOneHundredThousandProbes() {
        HealthRegistry health = registry(5);
        health.register("flappy", scripted(), uncached());
        Instant lastChange = null;
        for (int i = 0; i < 100_000; i++) {
            clock.advance(Duration.ofMillis(1));
            next.set(i % 2 == 0 ? CheckResult.up() : CheckResult.down("x"));
            HealthReport r = health.evaluate(Probe.READINESS);
            if (r.transitions().size() > 5) {
                throw new AssertionError(
                        "probe " + i + " lists " + r.transitions().size() + " transitions");
            }
            lastChange = clock.instant();
        }
        HealthReport last = health.evaluate(Probe.READINESS);
        assertThat(last.transitions()).hasSize(5);
        assertThat(last.transitions().get(0).at()).isEqualTo(lastChange);
        assertThat(last.checks().get(0).since()).isEqualTo(lastChange);
    }
}
