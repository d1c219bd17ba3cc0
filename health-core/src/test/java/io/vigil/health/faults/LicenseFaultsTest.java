package io.vigil.health.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.test.Background;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A license check that hangs (a license server that never answers, a file on a dead NFS mount). */
class LicenseFaultsTest {
    private final Faults faults = new Faults();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() throws Exception {
        release.countDown();
        faults.closeAll();
    }

    @Test
    void aLicenseCheckThatHangsStallsNoProbe() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .license(() -> {
                    calls.incrementAndGet();
                    release.await();
                    return LicenseState.of(LicenseValidity.VALID).withLicensee("Acme");
                })
                .build());
        health.register("fine", new Faults.Counting());

        for (Probe p : new Probe[] {Probe.LIVENESS, Probe.READINESS, Probe.LIVENESS}) {
            HealthReport r = Background.supply(() -> health.evaluate(p)).get(10, TimeUnit.SECONDS);
            assertThat(r.license().validity()).isEqualTo(LicenseValidity.INVALID);
            assertThat(r.license().message()).contains("license check timed out");
            assertThat(r.outcome()).isEqualTo(Outcome.LICENSE_INVALID);
        }
        assertThat(calls)
                .as("single-flight: one call in flight, however many probes")
                .hasValue(1);
    }

    @Test
    void aHungLicenseRefreshKeepsTheLastKnownStateForOneMoreTtlThenTurnsInvalid() throws Exception {
        MutableClock time = new MutableClock();
        AtomicInteger calls = new AtomicInteger();
        HealthRegistry health = faults.track(HealthRegistry.builder()
                .clock(time)
                .ticker(time::nanos)
                .startedImmediately()
                .logTransitions(false)
                .licenseCacheTtl(Duration.ofMinutes(1))
                .licenseTimeout(Duration.ofMillis(100))
                .license(() -> {
                    if (calls.incrementAndGet() > 1) {
                        release.await(); // the second call hangs
                    }
                    return LicenseState.of(LicenseValidity.VALID).withLicensee("Acme");
                })
                .build());
        assertThat(health.license().validity()).isEqualTo(LicenseValidity.VALID);

        time.advance(Duration.ofSeconds(61)); // due: the refresh hangs
        assertThat(health.evaluate(Probe.LIVENESS).license().validity()).isEqualTo(LicenseValidity.VALID);
        time.advance(Duration.ofSeconds(30));
        assertThat(health.evaluate(Probe.READINESS).license().validity()).isEqualTo(LicenseValidity.VALID);

        time.advance(Duration.ofSeconds(30)); // 121 s after the last answer: one TTL past due
        HealthReport r =
                Background.supply(() -> health.evaluate(Probe.READINESS)).get(10, TimeUnit.SECONDS);
        assertThat(r.license().validity()).isEqualTo(LicenseValidity.INVALID);
        assertThat(r.license().message()).contains("license check timed out");
        assertThat(calls).hasValue(2);

        release.countDown(); // the call finally answers: its state counts again
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            time.advance(Duration.ofSeconds(61));
            assertThat(health.license().validity()).isEqualTo(LicenseValidity.VALID);
        });
    }
}
