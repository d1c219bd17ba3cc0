package io.vigil.health.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/** {@code application/fhir+json}: the report as a FHIR R4 {@code OperationOutcome} resource. */
public final class OperationOutcomeWriter implements ReportWriter {
    /** The media type. */
    public static final String MEDIA_TYPE = "application/fhir+json";

    @Override
    public String contentType() {
        return MEDIA_TYPE + ";charset=UTF-8";
    }

    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        writeIssues(report.issues(), details, out);
    }

    /**
     * Writes a bare OperationOutcome, as used for error answers (404, 405, 400 ...).
     *
     * @param severity    issue severity
     * @param code        FHIR IssueType code
     * @param diagnostics safe text
     * @param out         target
     * @throws IOException from the stream
     */
    public static void writeError(IssueSeverity severity, String code, String diagnostics, OutputStream out)
            throws IOException {
        writeIssues(List.of(new Issue(severity, code, diagnostics, null, List.of())), false, out);
    }

    private static void writeIssues(List<Issue> issues, boolean details, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            Json.operationOutcome(g, issues, details);
        }
    }
}
