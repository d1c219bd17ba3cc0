package io.vigil.health.license;

import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.spi.LicenseCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * A license file signed with Ed25519 and verified with the JDK alone. The file is UTF-8 text of
 * {@code key=value} lines ({@code #} comments allowed):
 *
 * <pre>
 * licensee=Acme Hospital
 * expires=2027-12-31            (a date: valid through that day, UTC; or an ISO-8601 instant)
 * features=fhir,bulk-export     (optional)
 * signature=BASE64              (Ed25519 over the other fields sorted by name, each "key=value\n")
 * </pre>
 *
 * Missing, unreadable, malformed or tampered files are {@link LicenseValidity#INVALID}; past expiry
 * {@link LicenseValidity#EXPIRED}; within {@code warnBefore} of expiry (default 30 days)
 * {@link LicenseValidity#EXPIRING}. The file is re-read on every call (the registry caches the state, default
 * 60 s), so replacing the file takes effect without a restart. Issue files with the license tool (module {@code health-license-tool}).
 */
public final class SignedLicenseFile implements LicenseCheck {
    private final Path file;
    private final PublicKey key;
    private final Duration warnBefore;
    private final Clock clock;

    /**
     * @param file the license file
     * @param key  the issuer's Ed25519 public key
     */
    public SignedLicenseFile(Path file, PublicKey key) {
        this(file, key, Duration.ofDays(30), Clock.systemUTC());
    }

    /**
     * @param file       the license file
     * @param key        the issuer's Ed25519 public key
     * @param warnBefore how long before expiry the state turns EXPIRING
     * @param clock      time source
     */
    public SignedLicenseFile(Path file, PublicKey key, Duration warnBefore, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.key = Objects.requireNonNull(key, "key");
        this.warnBefore = Objects.requireNonNull(warnBefore, "warnBefore");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reads an Ed25519 public key from PEM ({@code -----BEGIN PUBLIC KEY-----}) or bare Base64 of the X.509
     * encoding, as written by the license tool (module {@code health-license-tool}) or {@code openssl pkey -pubout}.
     *
     * @param text PEM or Base64
     * @return the key
     * @throws IllegalArgumentException if the text is not an Ed25519 public key
     */
    public static PublicKey publicKey(String text) {
        try {
            byte[] der = Base64.getMimeDecoder()
                    .decode(text.replaceAll("-----[A-Z ]+-----", "").strip());
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an Ed25519 public key", e);
        }
    }

    @Override
    public LicenseState check() {
        String text;
        try {
            if (Files.size(file) > LicenseFile.MAX_BYTES) {
                return LicenseState.invalid("license file too large");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return LicenseState.invalid("license file not found");
        } catch (IOException | RuntimeException e) {
            return LicenseState.invalid("license file unreadable");
        }
        Map<String, String> fields;
        Instant expires;
        try {
            fields = LicenseFile.parse(text);
            expires = LicenseFile.parseExpiry(fields.get("expires"));
        } catch (IllegalArgumentException e) {
            return LicenseState.invalid(Objects.requireNonNullElse(e.getMessage(), "license file malformed"));
        }
        if (!verify(fields)) {
            return LicenseState.invalid("license signature does not match");
        }
        String licensee = fields.get("licensee");
        Instant now = clock.instant();
        if (!now.isBefore(expires)) {
            return LicenseState.of(LicenseValidity.EXPIRED)
                    .withLicensee(licensee)
                    .withExpires(expires)
                    .withMessage("license expired");
        }
        if (!now.plus(warnBefore).isBefore(expires)) {
            return LicenseState.of(LicenseValidity.EXPIRING)
                    .withLicensee(licensee)
                    .withExpires(expires)
                    .withMessage("license expires soon");
        }
        return LicenseState.of(LicenseValidity.VALID).withLicensee(licensee).withExpires(expires);
    }

    private boolean verify(Map<String, String> fields) {
        try {
            byte[] sig = Base64.getDecoder().decode(fields.get("signature"));
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(key);
            v.update(LicenseFile.payload(fields));
            return v.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
