package io.vigil.health;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The license as last verified: its validity, to whom it is issued, when it expires and why it is not valid.
 * Immutable; made with {@link #of(LicenseValidity)} or {@link #invalid(String)}, completed with {@code with…}
 * copiers:
 *
 * <pre>{@code
 * LicenseState.of(LicenseValidity.VALID).withLicensee("Acme").withExpires(expiry)
 * }</pre>
 */
public final class LicenseState {
    private final LicenseValidity validity;
    private final @Nullable String licensee;
    private final @Nullable Instant expires;
    private final String message;

    private LicenseState(
            LicenseValidity validity, @Nullable String licensee, @Nullable Instant expires, @Nullable String message) {
        this.validity = Objects.requireNonNull(validity, "validity");
        this.licensee = licensee;
        this.expires = expires;
        this.message = message == null ? "" : message;
    }

    /**
     * @param validity VALID, EXPIRING, EXPIRED or INVALID
     * @return a state with that validity, no licensee, no known expiry and no message
     */
    public static LicenseState of(LicenseValidity validity) {
        return new LicenseState(validity, null, null, "");
    }

    /**
     * @param message why, e.g. {@code "signature does not match"}
     * @return an INVALID state
     */
    public static LicenseState invalid(String message) {
        return new LicenseState(LicenseValidity.INVALID, null, null, message);
    }

    /** @return VALID, EXPIRING, EXPIRED or INVALID */
    public LicenseValidity validity() {
        return validity;
    }

    /** @return to whom it is issued, or {@code null}; shown only with details */
    public @Nullable String licensee() {
        return licensee;
    }

    /** @return when it expires, or {@code null} if unknown */
    public @Nullable Instant expires() {
        return expires;
    }

    /** @return why it is not valid, never {@code null}; shown only with details */
    public String message() {
        return message;
    }

    /**
     * @param value to whom it is issued; {@code null} if unknown
     * @return a copy with that licensee
     */
    public LicenseState withLicensee(@Nullable String value) {
        return new LicenseState(validity, value, expires, message);
    }

    /**
     * @param value when it expires; {@code null} if unknown
     * @return a copy with that expiry
     */
    public LicenseState withExpires(@Nullable Instant value) {
        return new LicenseState(validity, licensee, value, message);
    }

    /**
     * @param value why it is not valid; {@code null} means none
     * @return a copy with that message
     */
    public LicenseState withMessage(@Nullable String value) {
        return new LicenseState(validity, licensee, expires, value);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof LicenseState l
                && l.validity == validity
                && Objects.equals(l.licensee, licensee)
                && Objects.equals(l.expires, expires)
                && l.message.equals(message);
    }

    @Override
    public int hashCode() {
        return Objects.hash(validity, licensee, expires, message);
    }

    /** @return every field, record-style */
    @Override
    public String toString() {
        return "LicenseState[validity=" + validity + ", licensee=" + licensee + ", expires=" + expires + ", message="
                + message + "]";
    }
}
