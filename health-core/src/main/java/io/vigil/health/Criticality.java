package io.vigil.health;

/** How much a check's failure weighs on its probe. */
public enum Criticality {
    /** Its DOWN makes the probe DOWN (503). */
    REQUIRED,
    /** Its DOWN makes the probe DEGRADED (still 200). */
    OPTIONAL
}
