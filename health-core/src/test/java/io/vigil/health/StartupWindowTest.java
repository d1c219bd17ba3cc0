package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StartupWindowTest {

    @Test
    void readinessAndStartupWaitForStartByDefault() {
        try (HealthRegistry health = HealthRegistry.builder().build()) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            assertThat(health.evaluate(Probe.STARTUP).outcome()).isEqualTo(Outcome.DOWN);
            assertThat(health.evaluate(Scope.all(), List.of()).outcome()).isEqualTo(Outcome.DOWN);
            assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        }
    }

    @Test
    void aProbeLeftOutOfTheWindowIsJudgedByItsChecksAloneWhileStarting() {
        try (HealthRegistry health =
                HealthRegistry.builder().notStartedProbes(Probe.STARTUP).build()) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            assertThat(health.evaluate(Scope.all(), List.of()).outcome()).isEqualTo(Outcome.UP);
            assertThat(health.evaluate(Probe.STARTUP).outcome()).isEqualTo(Outcome.DOWN);

            health.register("db", () -> CheckResult.down("refused"));
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
            assertThat(health.isStarted()).isFalse();
        }
    }

    @Test
    void withNoWaitingProbesOnlyChecksDecide() {
        try (HealthRegistry health = HealthRegistry.builder().notStartedProbes().build()) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            assertThat(health.evaluate(Probe.STARTUP).outcome()).isEqualTo(Outcome.UP);
            health.startDraining();
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        }
    }
}
