package io.vigil.health.example;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vigil.health.IssueSeverity;
import io.vigil.health.format.OperationOutcomeWriter;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes the small JSON answers of the API and admin servlets; errors are FHIR OperationOutcomes like the health endpoints'. */
final class Answers {
    private static final JsonFactory JSON = new JsonFactory();

    private Answers() {}

    /**
     * @param response the response
     * @param status   HTTP status
     * @param fields   top-level members: strings, numbers, booleans, lists of maps, or nested maps
     * @throws IOException from the stream
     */
    static void json(HttpServletResponse response, int status, Map<String, ?> fields) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            writeValue(g, fields);
        }
        send(response, status, "application/json", out.toByteArray());
    }

    /**
     * @param response    the response
     * @param status      HTTP status
     * @param code        FHIR IssueType code, e.g. {@code security}, {@code conflict}
     * @param diagnostics safe text
     * @throws IOException from the stream
     */
    static void error(HttpServletResponse response, int status, String code, String diagnostics) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        OperationOutcomeWriter.writeError(IssueSeverity.ERROR, code, diagnostics, out);
        send(response, status, OperationOutcomeWriter.MEDIA_TYPE + ";charset=UTF-8", out.toByteArray());
    }

    private static void send(HttpServletResponse response, int status, String contentType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else {
            g.writeString(v.toString());
        }
    }
}
