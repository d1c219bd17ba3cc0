package io.vigil.health.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSubject;
import io.vigil.health.LicenseState;
import io.vigil.health.LockInfo;
import io.vigil.health.Status;
import java.io.IOException;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * {@code application/json}: the MicroProfile Health shape. Top-level {@code status} is {@code UP} exactly when
 * the outcome passes ({@link io.vigil.health.Outcome#isPassing()}); each check has {@code name}, {@code status} ({@code UP}/{@code DOWN}) and, with
 * details, {@code data}. The extended form adds {@code outcome}, {@code locks}, {@code license},
 * {@code operationOutcome}, {@code since} (since when the outcome holds) and {@code transitions} (recent check
 * transitions, newest first), and per check {@code critical}, {@code degraded}, {@code durationMs}, {@code cached},
 * {@code since}, {@code lastSuccess}, {@code consecutiveFailures} (and {@code reason}, {@code message}). The strict form emits only the MicroProfile schema; applied locks and
 * the license then appear as synthetic checks {@code lock:<name>} and {@code license}.
 */
public final class MicroProfileJsonWriter implements ReportWriter {
    /** The media type. */
    public static final String MEDIA_TYPE = "application/json";

    private final boolean strict;

    /** @param strict whether to emit exactly the MicroProfile Health schema */
    public MicroProfileJsonWriter(boolean strict) {
        this.strict = strict;
    }

    @Override
    public String contentType() {
        return MEDIA_TYPE;
    }

    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            g.writeStartObject();
            g.writeStringField("status", report.outcome().isPassing() ? "UP" : "DOWN");
            if (!strict) {
                g.writeStringField("outcome", report.outcome().name());
                if (report.since() != null) {
                    Json.instantField(g, "since", report.since());
                }
            }
            g.writeArrayFieldStart("checks");
            for (CheckEntry c : report.checks()) {
                writeCheck(g, c, details);
            }
            if (strict) {
                writeSyntheticChecks(g, report, details);
            }
            g.writeEndArray();
            if (!strict) {
                Json.transitions(g, report.transitions());
                writeLocks(g, report, details);
                writeLicense(g, report.license(), details);
                g.writeFieldName("operationOutcome");
                Json.operationOutcome(g, report, details);
            }
            g.writeEndObject();
        }
    }

    private void writeCheck(JsonGenerator g, CheckEntry c, boolean details) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", Clip.value(c.name()));
        g.writeStringField("status", c.status() == Status.DOWN ? "DOWN" : "UP");
        if (details && !c.data().isEmpty()) {
            g.writeFieldName("data");
            Json.data(g, c.data());
        }
        if (!strict) {
            g.writeBooleanField("critical", c.criticality() == Criticality.REQUIRED);
            g.writeBooleanField("degraded", c.status() == Status.DEGRADED);
            g.writeNumberField("durationMs", c.duration().toMillis());
            g.writeBooleanField("cached", c.cached());
            Json.history(g, c);
            if (c.cause() != Cause.REPORTED) {
                g.writeStringField("reason", c.cause().name());
            }
            if (details && !c.message().isEmpty()) {
                g.writeStringField("message", Clip.text(c.message()));
            }
        }
        g.writeEndObject();
    }

    private static void writeSyntheticChecks(JsonGenerator g, HealthReport report, boolean details) throws IOException {
        for (Issue i : report.issues()) {
            if (i.subject() instanceof IssueSubject.Lock lock) {
                g.writeStartObject();
                g.writeStringField("name", "lock:" + Clip.value(lock.name()));
                g.writeStringField("status", "DOWN");
                g.writeEndObject();
            }
        }
        if (report.locksNotListed() > 0) {
            g.writeStartObject();
            g.writeStringField("name", "locks-not-listed");
            g.writeStringField("status", "DOWN");
            g.writeObjectFieldStart("data");
            g.writeNumberField("count", report.locksNotListed());
            g.writeEndObject();
            g.writeEndObject();
        }
        LicenseState lic = report.license();
        if (lic != null) {
            g.writeStartObject();
            g.writeStringField("name", "license");
            g.writeStringField("status", lic.validity().blocks() ? "DOWN" : "UP");
            if (details) {
                g.writeObjectFieldStart("data");
                g.writeStringField("state", lic.validity().name());
                if (lic.expires() != null) {
                    Json.instantField(g, "expires", lic.expires());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
    }

    private static void writeLocks(JsonGenerator g, HealthReport report, boolean details) throws IOException {
        if (report.locksNotListed() > 0) {
            g.writeNumberField("locksNotListed", report.locksNotListed());
        }
        g.writeArrayFieldStart("locks");
        for (LockInfo l : report.locks()) {
            g.writeStartObject();
            g.writeStringField("name", Clip.value(l.name()));
            Json.instantField(g, "since", l.since());
            if (l.expiresAt() != null) {
                Json.instantField(g, "expiresAt", l.expiresAt());
            }
            if (details && !l.description().isEmpty()) {
                g.writeStringField("description", Clip.text(l.description()));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeLicense(JsonGenerator g, @Nullable LicenseState lic, boolean details) throws IOException {
        if (lic == null) {
            return;
        }
        g.writeObjectFieldStart("license");
        g.writeStringField("status", lic.validity().name());
        if (lic.expires() != null) {
            Json.instantField(g, "expires", lic.expires());
        }
        if (details) {
            if (lic.licensee() != null) {
                g.writeStringField("licensee", Clip.value(lic.licensee()));
            }
            if (!lic.message().isEmpty()) {
                g.writeStringField("message", Clip.text(lic.message()));
            }
        }
        g.writeEndObject();
    }
}
