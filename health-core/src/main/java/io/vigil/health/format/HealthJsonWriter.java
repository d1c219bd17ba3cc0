package io.vigil.health.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSubject;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Outcome;
import io.vigil.health.Status;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code application/health+json}: the IETF draft "Health Check Response Format for HTTP APIs". Top-level
 * {@code status} is {@code pass}, {@code warn} (DEGRADED) or {@code fail}; {@code checks} is keyed
 * {@code "<check>:responseTime"} (plus {@code "<lock>:lock"} and {@code "license:expiry"}), each an array of
 * one object with {@code componentType}, {@code status}, {@code observedValue} (ms), {@code observedUnit},
 * {@code time} (when the observation was made) and, with details and when not passing, {@code output}; a check's
 * object also carries the extension members {@code since}, {@code lastSuccess} and {@code consecutiveFailures}, named
 * as in the extended {@code application/json}.
 */
public final class HealthJsonWriter implements ReportWriter {
    /** Creates the writer; it holds no state of its own. */
    public HealthJsonWriter() {}

    /** The media type. */
    public static final String MEDIA_TYPE = "application/health+json";

    @Override
    public String contentType() {
        return MEDIA_TYPE;
    }

    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            g.writeStartObject();
            g.writeStringField("status", status(report.outcome()));
            g.writeStringField(
                    "description",
                    "health of " + report.scope().label() + ": "
                            + report.outcome().name());
            if (report.outcome() != Outcome.UP) {
                g.writeArrayFieldStart("notes");
                for (Issue i : report.issues()) {
                    g.writeString(Clip.text(i.diagnosticsFor(details)));
                }
                g.writeEndArray();
            }
            g.writeObjectFieldStart("checks");
            for (CheckEntry c : report.checks()) {
                g.writeArrayFieldStart(Clip.value(c.name()) + ":responseTime");
                g.writeStartObject();
                g.writeStringField(
                        "componentType",
                        c.kind() == CheckKind.DATASTORE
                                ? "datastore"
                                : c.kind() == CheckKind.DEPENDENCY ? "component" : "system");
                g.writeNumberField("observedValue", c.duration().toMillis());
                g.writeStringField("observedUnit", "ms");
                g.writeStringField(
                        "status",
                        c.status() == Status.UP
                                ? "pass"
                                : c.status() == Status.DEGRADED || !c.failsProbe() ? "warn" : "fail");
                if (c.checkedAt() != null) {
                    Json.instantField(g, "time", c.checkedAt());
                }
                Json.history(g, c);
                if (details && c.status() != Status.UP && !c.message().isEmpty()) {
                    g.writeStringField("output", Clip.text(c.message()));
                }
                g.writeEndObject();
                g.writeEndArray();
            }
            boolean locksApply = report.issues().stream().anyMatch(i -> i.subject() instanceof IssueSubject.Lock);
            for (LockInfo l : report.locks()) {
                g.writeArrayFieldStart(Clip.value(l.name()) + ":lock");
                g.writeStartObject();
                g.writeStringField("componentType", "system");
                g.writeStringField("status", locksApply ? "fail" : "warn");
                Json.instantField(g, "time", l.since());
                if (details && !l.description().isEmpty()) {
                    g.writeStringField("output", Clip.text(l.description()));
                }
                g.writeEndObject();
                g.writeEndArray();
            }
            if (report.locksNotListed() > 0) {
                g.writeArrayFieldStart("locks:notListed");
                g.writeStartObject();
                g.writeStringField("componentType", "system");
                g.writeNumberField("observedValue", report.locksNotListed());
                g.writeStringField("status", locksApply ? "fail" : "warn");
                g.writeStringField("output", Json.notListed(report.locksNotListed()));
                g.writeEndObject();
                g.writeEndArray();
            }
            LicenseState lic = report.license();
            if (lic != null) {
                g.writeArrayFieldStart("license:expiry");
                g.writeStartObject();
                g.writeStringField("componentType", "system");
                if (lic.expires() != null) {
                    Json.instantField(g, "observedValue", lic.expires());
                }
                g.writeStringField(
                        "status",
                        switch (lic.validity()) {
                            case VALID -> "pass";
                            case EXPIRING -> "warn";
                            default -> "fail";
                        });
                if (details && !lic.message().isEmpty()) {
                    g.writeStringField("output", Clip.text(lic.message()));
                }
                g.writeEndObject();
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static String status(Outcome o) {
        return switch (o) {
            case UP -> "pass";
            case DEGRADED -> "warn";
            default -> "fail";
        };
    }
}
