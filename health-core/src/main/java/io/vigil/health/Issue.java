package io.vigil.health;

import java.util.List;
import java.util.Objects;

/**
 * One FHIR OperationOutcome issue describing a non-UP condition.
 *
 * @param severity    FHIR IssueSeverity
 * @param code        FHIR IssueType code (R4), e.g. {@code transient}, {@code timeout}, {@code lock-error}
 * @param diagnostics a sentence that is safe to show anyone (names, no error text)
 * @param detail      the underlying message (error text, lock description); shown only with details, may be null
 * @param expression  what the issue is about, e.g. the check name; may be empty
 */
public record Issue(IssueSeverity severity, String code, String diagnostics, String detail, List<String> expression) {
    /** Validates and copies. */
    public Issue {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(diagnostics, "diagnostics");
        expression = expression == null ? List.of() : List.copyOf(expression);
    }

    /**
     * @param details whether the caller may see details
     * @return the diagnostics text for that caller
     */
    public String diagnosticsFor(boolean details) {
        return details && detail != null && !detail.isEmpty() ? diagnostics + ": " + detail : diagnostics;
    }
}
