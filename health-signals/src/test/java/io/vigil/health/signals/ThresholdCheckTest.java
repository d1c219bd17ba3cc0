package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.IssueSeverity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThresholdCheckTest {

    @Test
    void aNumberPastItsLimitsIsDegradedThenDownWithTheLimitInTheMessage() {
        AtomicLong deadLetters = new AtomicLong(10);
        ThresholdCheck check = ThresholdCheck.ofLong(deadLetters::get)
                .named("dead letters")
                .unit("messages")
                .warnAbove(50)
                .failAbove(100)
                .build();

        CheckResult up = check.check();
        deadLetters.set(51);
        CheckResult warn = check.check();
        deadLetters.set(101);
        CheckResult fail = check.check();

        assertThat(up.status()).isEqualTo(Status.UP);
        assertThat(up.message()).isEqualTo("dead letters 10 messages");
        assertThat(warn.status()).isEqualTo(Status.DEGRADED);
        assertThat(warn.message()).isEqualTo("dead letters 51 messages is above the warn limit 50 messages");
        assertThat(fail.status()).isEqualTo(Status.DOWN);
        assertThat(fail.data())
                .containsEntry("value", 101.0)
                .containsEntry("unit", "messages")
                .containsEntry("warnAbove", 50.0)
                .containsEntry("failAbove", 100.0);
    }

    @Test
    void limitsBelowJudgeTheOtherWayAndALimitItselfIsNotCrossed() {
        double[] free = {0.2};
        ThresholdCheck check =
                ThresholdCheck.of(() -> free[0]).warnBelow(0.2).failBelow(0.1).build();

        assertThat(check.check().status()).isEqualTo(Status.UP);
        free[0] = 0.15;
        assertThat(check.check().status()).isEqualTo(Status.DEGRADED);
        free[0] = 0.05;
        assertThat(check.check().message()).isEqualTo("value 0.05 is below the fail limit 0.1");
    }

    @Test
    void notANumberIsDown() {
        CheckResult r = ThresholdCheck.of(() -> Double.NaN).failAbove(1).build().check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("value is not a number");
    }

    @Test
    void inlineUnlessDeclaredBlocking() {
        assertThat(ThresholdCheck.of(() -> 1).failAbove(2).build().nonBlocking())
                .isTrue();
        assertThat(ThresholdCheck.of(() -> 1).failAbove(2).blocking().build().nonBlocking())
                .isFalse();
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> ThresholdCheck.of(() -> 1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        ThresholdCheck.of(() -> 1).warnBelow(1).failBelow(2).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("below failBelow");
        assertThatThrownBy(() -> ThresholdCheck.of(() -> 1).failAbove(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWarningDegradesReadinessWithTheReasonInTheOperationOutcome() {
        ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 120; i++) {
            queue.add("job " + i);
        }
        try (HealthRegistry health =
                HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "work-queue",
                    ThresholdCheck.of(queue::size)
                            .named("work queue")
                            .warnAbove(100)
                            .build());

            HealthReport report = health.evaluate(Probe.READINESS);

            assertThat(report.outcome()).isEqualTo(Outcome.DEGRADED);
            assertThat(report.outcome().isPassing()).isTrue();
            assertThat(report.issues()).anySatisfy(issue -> {
                assertThat(issue.severity()).isEqualTo(IssueSeverity.WARNING);
                assertThat(issue.diagnosticsFor(true)).contains("work queue 120 is above the warn limit 100");
            });
        }
    }
}
