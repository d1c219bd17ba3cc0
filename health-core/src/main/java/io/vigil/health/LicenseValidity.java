package io.vigil.health;

/** Whether a license lets the service run: what a license check found. */
public enum LicenseValidity {
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
