package io.vigil.health;

/** What a license check found. */
public enum LicenseStatus {
    /** Valid. */
    VALID,
    /** Valid, but expiring soon: probes pass, DEGRADED, with a warning. */
    EXPIRING,
    /** Past its expiry date: 402. */
    EXPIRED,
    /** Missing, unreadable, tampered or otherwise unusable: 402. */
    INVALID;

    /** @return whether this state fails probes with 402 */
    public boolean blocks() {
        return this == EXPIRED || this == INVALID;
    }
}
