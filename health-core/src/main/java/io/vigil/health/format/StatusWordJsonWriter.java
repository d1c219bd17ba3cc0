package io.vigil.health.format;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.health.CheckEntry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Status;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code application/json} in status words, the shape many service runbooks and their monitors expect (FastAPI-style
 * health routes): {@code {"status":"healthy|degraded|unhealthy","checks":{"db":{"status":"healthy"},...}}}.
 * Top-level {@code status} is {@code healthy} for UP, {@code degraded} for DEGRADED and {@code unhealthy} for every
 * other outcome (DOWN, LOCKED, LICENSE_INVALID, ERROR); each check's is {@code healthy}, {@code degraded} or
 * {@code unhealthy} from its own status. With details, a check also carries {@code message} (when not empty) and
 * {@code data}. The HTTP status is not this writer's: the handler's status policy decides it (200/200/503 for
 * healthy/degraded/unhealthy by default). Stateless, thread-safe.
 */
public final class StatusWordJsonWriter implements ReportWriter {
    /** The media type. */
    public static final String MEDIA_TYPE = "application/json";

    /** A writer; it has no settings. */
    public StatusWordJsonWriter() {}

    @Override
    public String contentType() {
        return MEDIA_TYPE;
    }

    @Override
    public void write(HealthReport report, boolean details, OutputStream out) throws IOException {
        try (JsonGenerator g = Json.open(out)) {
            g.writeStartObject();
            g.writeStringField("status", word(report.outcome()));
            g.writeObjectFieldStart("checks");
            for (CheckEntry c : report.checks()) {
                g.writeObjectFieldStart(Clip.value(c.name()));
                g.writeStringField("status", word(c.status()));
                if (details && !c.message().isEmpty()) {
                    g.writeStringField("message", Clip.text(c.message()));
                }
                if (details && !c.data().isEmpty()) {
                    g.writeFieldName("data");
                    Json.data(g, c.data());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    /**
     * @param outcome an outcome
     * @return its status word
     */
    static String word(Outcome outcome) {
        return switch (outcome) {
            case UP -> "healthy";
            case DEGRADED -> "degraded";
            default -> "unhealthy";
        };
    }

    private static String word(Status status) {
        return switch (status) {
            case UP -> "healthy";
            case DEGRADED -> "degraded";
            case DOWN -> "unhealthy";
        };
    }
}
