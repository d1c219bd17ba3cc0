package io.vigil.health;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One OperationOutcome issue describing a non-UP condition: how severe it is, what it is about (a typed
 * {@link IssueSubject} carrying its cause) and two texts. Formats derive codes from the subject when they write
 * (the FHIR IssueType code comes from {@code OperationOutcomeWriter.issueType(Issue)}). Immutable.
 */
public final class Issue {
    private final IssueSeverity severity;
    private final IssueSubject subject;
    private final String diagnostics;
    private final String detail;

    private Issue(IssueSeverity severity, IssueSubject subject, String diagnostics, String detail) {
        this.severity = Objects.requireNonNull(severity, "severity");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.diagnostics = Objects.requireNonNull(diagnostics, "diagnostics");
        this.detail = detail == null ? "" : detail;
    }

    /**
     * @param severity    FHIR IssueSeverity
     * @param subject     what the issue is about, with its cause
     * @param diagnostics a sentence that is safe to show anyone (names, no error text)
     * @return an issue without detail
     */
    public static Issue of(IssueSeverity severity, IssueSubject subject, String diagnostics) {
        return new Issue(severity, subject, diagnostics, "");
    }

    /** @return the FHIR IssueSeverity */
    public IssueSeverity severity() {
        return severity;
    }

    /** @return what the issue is about, with its cause */
    public IssueSubject subject() {
        return subject;
    }

    /** @return a sentence that is safe to show anyone (names, no error text) */
    public String diagnostics() {
        return diagnostics;
    }

    /** @return the underlying message (error text, lock description), never {@code null}; shown only with details */
    public String detail() {
        return detail;
    }

    /**
     * @param value the underlying message; {@code null} means none
     * @return a copy with that detail
     */
    public Issue withDetail(String value) {
        return new Issue(severity, subject, diagnostics, value);
    }

    /**
     * @param value another severity
     * @return a copy with that severity
     */
    public Issue withSeverity(IssueSeverity value) {
        return new Issue(value, subject, diagnostics, detail);
    }

    /**
     * @param details whether the caller may see details
     * @return the diagnostics text for that caller
     */
    public String diagnosticsFor(boolean details) {
        return details && !detail.isEmpty() ? diagnostics + ": " + detail : diagnostics;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Issue i
                && i.severity == severity
                && i.subject.equals(subject)
                && i.diagnostics.equals(diagnostics)
                && i.detail.equals(detail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(severity, subject, diagnostics, detail);
    }

    @Override
    public String toString() {
        return "Issue[severity=" + severity + ", subject=" + subject + ", diagnostics=" + diagnostics + ", detail="
                + detail + "]";
    }
}
