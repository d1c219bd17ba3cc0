package io.vigil.health.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.test.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedLicenseFileTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2027-01-01T00:00:00Z"));
    private final KeyPair keys = generate();

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private SignedLicenseFile license(Path file) {
        return new SignedLicenseFile(file, keys.getPublic(), Duration.ofDays(30), clock);
    }

    private Path write(String expires) throws Exception {
        Path f = dir.resolve("license.txt");
        Files.writeString(f, issue(keys.getPrivate(), "Acme Hospital", expires, "fhir,bulk"));
        return f;
    }

    /** Signs a license file as the issuing tool (health-license-tool) does: the canonical payload, Ed25519. */
    static String issue(PrivateKey key, String licensee, String expires, String features) throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("licensee", licensee);
        fields.put("expires", expires);
        fields.put("features", features);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(LicenseFile.payload(fields));
        StringBuilder text = new StringBuilder();
        fields.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        return text.append("signature=")
                .append(Base64.getEncoder().encodeToString(s.sign()))
                .append('\n')
                .toString();
    }

    @Test
    void aValidLicenseIsValidThroughItsLastDay() throws Exception {
        LicenseState s = license(write("2027-06-30")).check();
        assertThat(s.validity()).isEqualTo(LicenseValidity.VALID);
        assertThat(s.licensee()).isEqualTo("Acme Hospital");
        assertThat(s.expires()).isEqualTo(Instant.parse("2027-07-01T00:00:00Z"));
    }

    @Test
    void aMissingExpiryIsRefusedAsMalformedNotAsANullPointer() {
        assertThatThrownBy(() -> LicenseFile.parseExpiry(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("license file lacks 'expires'");
    }

    @Test
    void aLicenseWithinThirtyDaysOfExpiryIsExpiring() throws Exception {
        assertThat(license(write("2027-01-20")).check().validity()).isEqualTo(LicenseValidity.EXPIRING);
    }

    @Test
    void aLicensePastItsExpiryIsExpired() throws Exception {
        assertThat(license(write("2026-12-31T23:59:59Z")).check().validity()).isEqualTo(LicenseValidity.EXPIRED);
    }

    @Test
    void aLicenseSavedWithAUtf8ByteOrderMarkIsValid() throws Exception {
        Path f = write("2027-06-30");
        Files.writeString(f, "\uFEFF" + Files.readString(f)); // what Windows Notepad saves
        assertThat(license(f).check().validity()).isEqualTo(LicenseValidity.VALID);
    }

    @Test
    void aTamperedLicenseIsInvalid() throws Exception {
        Path f = write("2027-06-30");
        Files.writeString(f, Files.readString(f).replace("2027-06-30", "2099-06-30"));
        LicenseState s = license(f).check();
        assertThat(s.validity()).isEqualTo(LicenseValidity.INVALID);
        assertThat(s.message()).isEqualTo("license signature does not match");
    }

    @Test
    void aLicenseSignedByAnotherKeyIsInvalid() throws Exception {
        Path f = write("2027-06-30");
        SignedLicenseFile other = new SignedLicenseFile(f, generate().getPublic(), Duration.ofDays(30), clock);
        assertThat(other.check().validity()).isEqualTo(LicenseValidity.INVALID);
    }

    @Test
    void missingMalformedOrHugeFilesAreInvalidNotExceptions() throws Exception {
        assertThat(license(dir.resolve("absent.txt")).check().message()).isEqualTo("license file not found");
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "this is not a license\n\u0000\u0001");
        assertThat(license(junk).check().validity()).isEqualTo(LicenseValidity.INVALID);
        Files.writeString(junk, "licensee=a\nexpires=tomorrow\nsignature=AAAA\n");
        assertThat(license(junk).check().message()).contains("ISO-8601");
        Files.writeString(junk, "licensee=a\nlicensee=b\nexpires=2027-01-01\nsignature=AAAA\n");
        assertThat(license(junk).check().message()).contains("duplicate");
        Files.writeString(junk, "licensee=a\nexpires=2030-01-01\nsignature=%%%not-base64\n");
        assertThat(license(junk).check().validity()).isEqualTo(LicenseValidity.INVALID);
        Files.write(junk, new byte[100_000]);
        assertThat(license(junk).check().message()).isEqualTo("license file too large");
        Files.write(junk, new byte[] {(byte) 0xC3, (byte) 0x28});
        assertThat(license(junk).check().validity()).isEqualTo(LicenseValidity.INVALID);
    }

    @Test
    void anExpiredLicenseAnswers402AndAReplacedFileTakesEffectAfterTheCache() throws Exception {
        Path f = write("2026-06-30");
        try (HealthRegistry health = HealthRegistry.builder()
                .clock(clock)
                .ticker(clock::nanos)
                .startedImmediately()
                .license(license(f))
                .licenseCacheTtl(Duration.ofSeconds(60))
                .build()) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LICENSE_INVALID);
            assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.LICENSE_INVALID);
            write("2027-12-31");
            assertThat(health.evaluate(Probe.READINESS).outcome())
                    .as("cached for 60 s")
                    .isEqualTo(Outcome.LICENSE_INVALID);
            clock.advance(Duration.ofSeconds(61));
            assertThat(health.evaluate(Probe.READINESS).outcome().isPassing()).isTrue();
        }
    }

    @Test
    void aLicenseCheckThatThrowsIsInvalid() {
        try (HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .license(() -> {
                    throw new IllegalStateException("vault unreachable");
                })
                .build()) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LICENSE_INVALID);
            assertThat(health.license().message()).contains("vault unreachable");
        }
    }
}
