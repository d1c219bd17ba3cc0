package io.vigil.health;

/** FHIR {@code IssueSeverity}. */
public enum IssueSeverity {
    /** The service cannot work at all (license expired or invalid). */
    FATAL("fatal"),
    /** The probe fails because of this issue. */
    ERROR("error"),
    /** The probe passes, impaired. */
    WARNING("warning"),
    /** Nothing is wrong. */
    INFORMATION("information");

    private final String code;

    IssueSeverity(String code) {
        this.code = code;
    }

    /** @return the FHIR code, e.g. {@code "error"} */
    public String code() {
        return code;
    }
}
