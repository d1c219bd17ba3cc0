package io.vigil.health.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import io.vigil.health.IssueSubject;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * {@code application/fhir+json}: the report as a FHIR R4 {@code OperationOutcome} resource. The IssueType code and
 * the {@code expression} of each issue are derived here from its typed subject, and nowhere else:
 *
 * <table>
 * <caption>FHIR IssueType per subject</caption>
 * <tr><th>subject</th><th>code</th><th>expression</th></tr>
 * <tr><td>check timed out or stale</td><td>{@code timeout}</td><td>the check's name</td></tr>
 * <tr><td>check threw, or found no thread</td><td>{@code exception}</td><td>the check's name</td></tr>
 * <tr><td>check not awaited (caller interrupted)</td><td>{@code incomplete}</td><td>the check's name</td></tr>
 * <tr><td>any other non-UP check</td><td>{@code no-store} for a datastore, else {@code transient}</td>
 *     <td>the check's name</td></tr>
 * <tr><td>lock held</td><td>{@code lock-error}</td><td>the lock's name</td></tr>
 * <tr><td>license expiring, expired or invalid</td><td>{@code business-rule}</td><td>{@code license}</td></tr>
 * <tr><td>not started, draining, closed</td><td>{@code transient}</td><td>none</td></tr>
 * <tr><td>all UP</td><td>{@code informational}</td><td>none</td></tr>
 * </table>
 */
public final class OperationOutcomeWriter implements ReportWriter {
    /** Creates the writer; it holds no state of its own. */
    public OperationOutcomeWriter() {}

    /** The media type. */
    public static final String MEDIA_TYPE = "application/fhir+json";

    @Override
    public String contentType() {
        return MEDIA_TYPE + ";charset=UTF-8";
    }

    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            Json.operationOutcome(g, report, details);
        }
    }

    /**
     * @param issue an issue of a report
     * @return its FHIR R4 IssueType code, e.g. {@code transient}, {@code timeout}, {@code lock-error}
     */
    public static String issueType(Issue issue) {
        IssueSubject s = issue.subject();
        if (s instanceof IssueSubject.Check c) {
            return switch (c.cause()) {
                case TIMEOUT, STALE -> "timeout";
                case EXCEPTION, REJECTED -> "exception";
                case INTERRUPTED -> "incomplete";
                case REPORTED, NEVER_RUN, CIRCUIT_OPEN ->
                    c.kind() == io.vigil.health.CheckKind.DATASTORE ? "no-store" : "transient";
            };
        }
        if (s instanceof IssueSubject.Lock) {
            return "lock-error";
        }
        if (s instanceof IssueSubject.License) {
            return "business-rule";
        }
        if (s instanceof IssueSubject.Lifecycle) {
            return "transient";
        }
        return "informational"; // IssueSubject.Overall, the last of the sealed set
    }

    /**
     * @param issue an issue of a report
     * @return its FHIR {@code expression}: the check's or lock's name, {@code license}, or nothing
     */
    public static List<String> expression(Issue issue) {
        IssueSubject s = issue.subject();
        if (s instanceof IssueSubject.Check c) {
            return List.of(c.name());
        }
        if (s instanceof IssueSubject.Lock l) {
            return List.of(l.name());
        }
        return s instanceof IssueSubject.License ? List.of("license") : List.of();
    }

    /**
     * Writes a bare OperationOutcome, as used for error answers (404, 405, 400 ...).
     *
     * @param severity    issue severity
     * @param code        FHIR IssueType code of the request error, e.g. {@code not-found}
     * @param diagnostics safe text
     * @param out         target
     * @throws IOException from the stream
     */
    public static void writeError(IssueSeverity severity, String code, String diagnostics, OutputStream out)
            throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            Json.operationOutcome(g, severity, code, diagnostics);
        }
    }
}
