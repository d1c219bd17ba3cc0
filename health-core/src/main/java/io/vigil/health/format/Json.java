package io.vigil.health.format;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.health.CheckEntry;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import io.vigil.health.Transition;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Shared Jackson streaming helpers; the factory is thread-safe. */
final class Json {
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private Json() {}

    /** A scratch buffer per thread for {@link #instantField}. */
    private static final ThreadLocal<char[]> INSTANT = ThreadLocal.withInitial(() -> new char[IsoInstant.MAX_LENGTH]);

    /** Writes {@code name: instant} as {@link Instant#toString()} would, without building a string. */
    static void instantField(JsonGenerator g, String name, Instant t) throws IOException {
        g.writeFieldName(name);
        char[] buf = INSTANT.get();
        int n = IsoInstant.format(t, buf);
        if (n < 0) {
            g.writeString(t.toString());
        } else {
            g.writeString(buf, 0, n);
        }
    }

    static JsonGenerator open(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        return g;
    }

    static void data(JsonGenerator g, Map<String, Object> data) throws IOException {
        g.writeStartObject();
        int n = 0;
        for (Map.Entry<String, Object> e : data.entrySet()) {
            if (n++ == Clip.ENTRIES) {
                break;
            }
            g.writeFieldName(Clip.value(e.getKey()));
            Object v = e.getValue();
            if (v instanceof Boolean b) {
                g.writeBoolean(b);
            } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                g.writeNumber(((Number) v).longValue());
            } else if (v instanceof Double d && !d.isNaN() && !d.isInfinite()) {
                g.writeNumber(d);
            } else if (v instanceof Float f && !f.isNaN() && !f.isInfinite()) {
                g.writeNumber(f);
            } else if (v instanceof java.math.BigDecimal bd) {
                g.writeNumber(bd);
            } else if (v instanceof java.math.BigInteger bi) {
                g.writeNumber(bi);
            } else {
                g.writeString(Clip.value(String.valueOf(v)));
            }
        }
        g.writeEndObject();
    }

    /**
     * Writes a check's history members into the current object: {@code since} and {@code lastSuccess} when known,
     * {@code consecutiveFailures} always. Times and counts are shown to anyone, like names and statuses.
     */
    static void history(JsonGenerator g, CheckEntry c) throws IOException {
        if (c.since() != null) {
            instantField(g, "since", c.since());
        }
        if (c.lastSuccess() != null) {
            instantField(g, "lastSuccess", c.lastSuccess());
        }
        g.writeNumberField("consecutiveFailures", c.consecutiveFailures());
    }

    /** Writes a report's transitions as an array field, newest first: {@code name, from, to, reason, at}. */
    static void transitions(JsonGenerator g, List<Transition> transitions) throws IOException {
        g.writeArrayFieldStart("transitions");
        for (Transition t : transitions) {
            g.writeStartObject();
            g.writeStringField("name", Clip.value(t.subject()));
            g.writeStringField("from", t.from().name());
            g.writeStringField("to", t.to().name());
            g.writeStringField("reason", t.cause().name());
            instantField(g, "at", t.at());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Writes an OperationOutcome resource object of a report's issues. */
    static void operationOutcome(JsonGenerator g, List<Issue> issues, boolean details) throws IOException {
        operationOutcome(g, issues, 0, details);
    }

    /** Writes the OperationOutcome of a report: its issues, and one for the held locks it does not list. */
    static void operationOutcome(JsonGenerator g, io.vigil.health.HealthReport report, boolean details)
            throws IOException {
        operationOutcome(g, report.issues(), report.locksNotListed(), details);
    }

    private static void operationOutcome(JsonGenerator g, List<Issue> issues, int locksNotListed, boolean details)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("resourceType", "OperationOutcome");
        g.writeArrayFieldStart("issue");
        for (Issue i : issues) {
            issue(
                    g,
                    i.severity(),
                    OperationOutcomeWriter.issueType(i),
                    i.diagnosticsFor(details),
                    OperationOutcomeWriter.expression(i));
        }
        if (locksNotListed > 0) {
            issue(g, IssueSeverity.ERROR, "lock-error", notListed(locksNotListed), List.of());
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Writes an OperationOutcome resource object of one request error (no expression). */
    static void operationOutcome(JsonGenerator g, IssueSeverity severity, String code, String diagnostics)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("resourceType", "OperationOutcome");
        g.writeArrayFieldStart("issue");
        issue(g, severity, code, diagnostics, List.of());
        g.writeEndArray();
        g.writeEndObject();
    }

    /** @return the sentence every representation uses for the held locks it does not list */
    static String notListed(int locks) {
        return locks + (locks == 1 ? " more lock is" : " more locks are") + " held (not listed)";
    }

    private static void issue(
            JsonGenerator g, IssueSeverity severity, String code, String diagnostics, List<String> expression)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("severity", severity.code());
        g.writeStringField("code", code);
        g.writeStringField("diagnostics", Clip.text(diagnostics));
        if (!expression.isEmpty()) {
            g.writeArrayFieldStart("expression");
            for (String e : expression) {
                g.writeString(Clip.value(e));
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
