package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.test.LogCapture;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The operator's switch: readiness, the base path and groups fail with the reason; liveness and startup do not. */
class OutOfServiceTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final HealthRegistry health =
            HealthRegistry.builder().clock(clock).startedImmediately().build();

    @AfterEach
    void close() {
        health.close();
    }

    private static List<IssueSubject> subjects(HealthReport r) {
        return r.issues().stream().map(Issue::subject).toList();
    }

    @Test
    void readinessGroupsAndTheBasePathFailWithTheReasonWhileLivenessAndStartupPass() {
        health.register(
                "db", CheckResult::up, CheckPolicy.builder().groups("web").build());
        OutOfService state = health.outOfService("investigating INC-42", "alice");

        assertThat(state).isEqualTo(new OutOfService("investigating INC-42", "alice", clock.instant()));
        for (HealthReport r : List.of(
                health.evaluate(Probe.READINESS),
                health.evaluate(Scope.all(), List.of()),
                health.evaluate(Scope.group("web"), List.of()))) {
            assertThat(r.outcome()).isEqualTo(Outcome.DOWN);
            assertThat(r.outcome()).isEqualTo(Outcome.DOWN);
            assertThat(subjects(r)).containsExactly(new IssueSubject.Lifecycle(IssueSubject.Phase.OUT_OF_SERVICE));
            assertThat(r.issues().get(0).diagnostics())
                    .isEqualTo("Out of service since 2026-03-01T10:00:00Z (investigating INC-42), by alice");
        }
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.evaluate(Probe.STARTUP).outcome()).isEqualTo(Outcome.UP);

        assertThat(health.backInService()).isTrue();
        assertThat(health.outOfService()).isEmpty();
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void repeatingACallChangesNothingAndANewReasonKeepsTheTime() {
        OutOfService first = health.outOfService("disk check");
        clock.advance(Duration.ofMinutes(5));
        assertThat(health.outOfService("disk check")).isEqualTo(first);
        OutOfService changed = health.outOfService("disk replaced, verifying", "bob");
        assertThat(changed.since()).isEqualTo(first.since());
        assertThat(changed.reason()).isEqualTo("disk replaced, verifying");
        assertThat(health.outOfService()).contains(changed);

        assertThat(health.backInService()).isTrue();
        assertThat(health.backInService()).isFalse();
    }

    @Test
    void eachChangeIsLoggedOnceWithItsFields() {
        try (LogCapture log = LogCapture.of("io.vigil.health.internal.ServiceControl")) {
            health.outOfService("INC-7", "carol");
            health.outOfService("INC-7", "carol");
            health.backInService();
            health.backInService();

            assertThat(log.events()).hasSize(2);
            assertThat(log.events().get(0).getLevel().toString()).isEqualTo("WARN");
            assertThat(LogCapture.keyValues(log.events().get(0)))
                    .containsEntry("reason", "INC-7")
                    .containsEntry("by", "carol");
            assertThat(log.events().get(1).getFormattedMessage()).startsWith("instance back in service");
        }
    }

    @Test
    void aBlankTooLongOrControlCharacterReasonIsRefusedAndChangesNothing() {
        assertThatThrownBy(() -> health.outOfService("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> health.outOfService("x".repeat(201))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> health.outOfService("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> health.outOfService("ok", "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(health.outOfService()).isEmpty();
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    void aCredentialPastedIntoTheReasonIsRedactedBeforeItIsStoredOrShown() {
        health.outOfService("rotating password=hunter2 for db");
        assertThat(health.outOfService().orElseThrow().reason())
                .doesNotContain("hunter2")
                .contains("rotating");
        assertThat(health.evaluate(Probe.READINESS).issues().get(0).diagnostics())
                .doesNotContain("hunter2");
    }

    @Test
    void theGaugeShowsTheSwitch() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new HealthMetrics(health).bindTo(meters);
        assertThat(meters.get("health.out.of.service").gauge().value()).isZero();
        health.outOfService("maintenance");
        assertThat(meters.get("health.out.of.service").gauge().value()).isEqualTo(1.0);
        health.backInService();
        assertThat(meters.get("health.out.of.service").gauge().value()).isZero();
    }
}
