package io.vigil.health.license;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.test.LogCapture;
import io.vigil.health.test.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A license file renewed in place (truncate, then write: what {@code cp} and {@code Files.writeString} do) or
 * unreadable for a moment never makes liveness answer 402: the last good state stands for a short grace, the file
 * is re-read every second, and only a file that stays bad for a whole TTL is INVALID.
 */
class LicenseRenewalTest {
    private static final Duration TTL = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    private final MutableClock time = new MutableClock(Instant.parse("2027-01-01T00:00:00Z"));
    private final KeyPair keys = generate();
    private final LogCapture log = LogCapture.of("io.vigil.health.license");
    private HealthRegistry health;

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void close() {
        log.close();
        if (health != null) {
            health.close();
        }
    }

    private String issue(String licensee, String expires) throws Exception {
        return SignedLicenseFileTest.issue(keys.getPrivate(), licensee, expires, "fhir");
    }

    private Path licensed() throws Exception {
        Path f = dir.resolve("license.txt");
        Files.writeString(f, issue("Acme Hospital", "2027-06-30"));
        health = HealthRegistry.builder()
                .clock(time)
                .ticker(time::nanos)
                .startedImmediately()
                .logTransitions(false)
                .licenseCacheTtl(TTL)
                .license(new SignedLicenseFile(f, keys.getPublic(), Duration.ofDays(30), time))
                .build();
        assertThat(health.license().validity()).isEqualTo(LicenseValidity.VALID);
        return f;
    }

    @Test
    void aReadBetweenTruncateAndWriteKeepsTheLastGoodStateAndTheRenewedFileCountsASecondLater() throws Exception {
        Path f = licensed();
        time.advance(TTL.plusSeconds(1));
        Files.write(f, new byte[0]); // the renewal has truncated the file and not yet written it

        var live = health.evaluate(Probe.LIVENESS);
        assertThat(live.outcome()).isEqualTo(Outcome.UP);
        assertThat(live.license().validity()).isEqualTo(LicenseValidity.VALID);
        assertThat(live.license().licensee()).isEqualTo("Acme Hospital");
        assertThat(health.engineStats().licenseGraceAnswers()).isEqualTo(1);
        assertThat(log.events())
                .filteredOn(e -> e.getLevel() == Level.WARN)
                .hasSize(1)
                .allSatisfy(e -> assertThat(e.getFormattedMessage())
                        .contains("license file lacks 'licensee'")
                        .contains("keeping the last good state"));

        Files.writeString(f, issue("Acme Hospital Renewed", "2028-06-30")); // the write lands
        time.advance(Duration.ofSeconds(1));
        assertThat(health.evaluate(Probe.READINESS).license().licensee()).isEqualTo("Acme Hospital Renewed");
        assertThat(health.engineStats().licenseGraceAnswers()).isEqualTo(1);
    }

    @Test
    void aFileThatStaysUnreadableIsInvalidOneTtlAfterTheFirstFailedRead() throws Exception {
        Path f = licensed();
        Files.delete(f);
        Files.createDirectory(f); // every read now fails with an I/O error
        time.advance(TTL.plusSeconds(1));
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        time.advance(Duration.ofSeconds(30));
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        time.advance(Duration.ofSeconds(29));
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
        assertThat(health.engineStats().licenseGraceAnswers()).isEqualTo(3);

        time.advance(Duration.ofSeconds(1)); // one TTL since the first failed read
        var live = health.evaluate(Probe.LIVENESS);
        assertThat(live.outcome()).isEqualTo(Outcome.LICENSE_INVALID);
        assertThat(live.license().message()).isEqualTo("license file unreadable");
        assertThat(log.events()).filteredOn(e -> e.getLevel() == Level.WARN).hasSize(1);

        time.advance(Duration.ofSeconds(2)); // INVALID now holds for a TTL: no re-read every second
        assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.LICENSE_INVALID);
        assertThat(health.engineStats().licenseGraceAnswers()).isEqualTo(3);
    }

    @Test
    void withoutAGoodStateToKeepABadFileIsInvalidButReadAgainASecondLater() throws Exception {
        Path f = dir.resolve("license.txt");
        Files.write(f, new byte[0]);
        health = HealthRegistry.builder()
                .clock(time)
                .ticker(time::nanos)
                .startedImmediately()
                .logTransitions(false)
                .licenseCacheTtl(TTL)
                .license(new SignedLicenseFile(f, keys.getPublic(), Duration.ofDays(30), time))
                .build();
        assertThat(health.license().validity()).isEqualTo(LicenseValidity.INVALID);

        Files.writeString(f, issue("Acme Hospital", "2027-06-30"));
        time.advance(Duration.ofSeconds(1));
        assertThat(health.license().validity()).isEqualTo(LicenseValidity.VALID);
    }
}
