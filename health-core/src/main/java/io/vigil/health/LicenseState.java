package io.vigil.health;

import java.time.Instant;
import java.util.Objects;

/**
 * The license as last verified.
 *
 * @param validity VALID, EXPIRING, EXPIRED or INVALID
 * @param licensee to whom it is issued, or {@code null}; shown only with details
 * @param expires  when it expires, or {@code null} if unknown
 * @param message  why it is not valid, e.g. {@code "signature does not match"}; shown only with details
 */
public record LicenseState(LicenseValidity validity, String licensee, Instant expires, String message) {
    /** Validates. */
    public LicenseState {
        Objects.requireNonNull(validity, "validity");
        message = message == null ? "" : message;
    }

    /**
     * @param message why
     * @return an INVALID state
     */
    public static LicenseState invalid(String message) {
        return new LicenseState(LicenseValidity.INVALID, null, null, message);
    }
}
