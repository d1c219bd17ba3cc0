package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.Background;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closing the registry while probes are in flight, as a shutdown hook does. */
class CloseFaultsTest {
    private final Faults faults = new Faults();

    @AfterEach
    void close() throws Exception {
        faults.closeAll();
    }

    @Test
    void closeAnswersProbesInFlightAndLaterProbesAtOnceWithoutStartingChecks() throws Exception {
        HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build();
        Faults.Hang slow = new Faults.Hang();
        Faults.Counting live = new Faults.Counting();
        health.register(
                "slow",
                slow,
                CheckPolicy.builder().timeout(Duration.ofSeconds(20)).build());
        health.register(
                "heartbeat",
                live,
                CheckPolicy.builder()
                        .probes(Probe.LIVENESS)
                        .cacheTtl(Duration.ZERO)
                        .build());
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        CompletableFuture<HealthReport> inFlight = Background.supply(() -> health.evaluate(Probe.READINESS));
        slow.awaitEntered();

        health.close();
        slow.release.countDown();

        CheckEntry answered = inFlight.get(10, TimeUnit.SECONDS).checks().get(0);
        assertThat(answered.status())
                .as("the probe in flight gets the check's real result")
                .isEqualTo(Status.UP);
        assertThat(answered.cause()).isEqualTo(Cause.REPORTED);
        assertThat(slow.interrupts).hasValue(0);
        HealthReport ready = health.evaluate(Probe.READINESS);
        assertThat(ready.outcome()).isEqualTo(Outcome.DOWN);
        assertThat(ready.issues()).anySatisfy(i -> assertThat(i.diagnostics()).contains("shutting down"));
        HealthReport liveness = health.evaluate(Probe.LIVENESS);
        assertThat(liveness.outcome())
                .as("liveness answers from its last results")
                .isEqualTo(Outcome.UP);
        assertThat(live.calls).as("no check is started after close").hasValue(1);
        assertThat(slow.calls).hasValue(1);
    }

    @Test
    void afterCloseLivenessKeepsTheLastKnownLicenseState() {
        HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .licenseCacheTtl(Duration.ZERO)
                .license(() -> LicenseState.of(LicenseValidity.VALID).withLicensee("Acme"))
                .build();
        health.register(
                "heartbeat",
                new Faults.Counting(),
                CheckPolicy.builder().probes(Probe.LIVENESS).build());
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        health.close();
        HealthReport liveness = health.evaluate(Probe.LIVENESS);
        assertThat(liveness.license().validity()).isEqualTo(LicenseValidity.VALID);
        assertThat(liveness.outcome()).isEqualTo(Outcome.UP);
    }
}
