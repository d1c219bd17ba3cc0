package io.vigil.health.grpc;

import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.endpoint.StatusPolicy;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * What one health answer says: the serving status, and for people the outcome and the first diagnostic, which
 * travel as response headers.
 *
 * @param status     SERVING, NOT_SERVING or SERVICE_UNKNOWN
 * @param outcome    the engine's outcome, or {@code null} when no report was made
 * @param diagnostic the first OperationOutcome diagnostic (never details), or {@code null}
 */
record Answer(
        ServingStatus status,
        @Nullable Outcome outcome,
        @Nullable String diagnostic) {
    static final Answer UNKNOWN_SERVICE = new Answer(ServingStatus.SERVICE_UNKNOWN, null, null);
    static final int MAX_DIAGNOSTIC = 200;

    /** Passing outcomes (UP, DEGRADED) serve; every other outcome does not. */
    static Answer of(HealthReport report) {
        ServingStatus s = report.outcome().isPassing() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        String first = report.issues().isEmpty() ? null : report.issues().get(0).diagnosticsFor(false);
        return new Answer(s, report.outcome(), first);
    }

    /** The health machinery failed to produce a report. */
    static Answer failed() {
        return new Answer(ServingStatus.NOT_SERVING, Outcome.ERROR, "health evaluation failed");
    }

    /** The call's deadline came before the evaluation finished. */
    static Answer deadlineFirst() {
        return new Answer(
                ServingStatus.NOT_SERVING, null, "health evaluation did not finish before the call's deadline");
    }

    HealthCheckResponse response() {
        return HealthCheckResponse.newBuilder().setStatus(status).build();
    }

    Metadata headers() {
        Metadata md = new Metadata();
        if (outcome != null) {
            md.put(VigilHealthService.OUTCOME_HEADER, outcome.name());
            md.put(
                    VigilHealthService.HTTP_STATUS_HEADER,
                    Integer.toString(StatusPolicy.defaults().status(outcome)));
        }
        if (diagnostic != null && !diagnostic.isEmpty()) {
            md.put(VigilHealthService.DIAGNOSTIC_HEADER, ascii(diagnostic));
        }
        return md;
    }

    /** Header values must be printable ASCII: other bytes and '%' are percent-encoded (UTF-8), then clipped. */
    static String ascii(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_DIAGNOSTIC) + 16);
        for (byte x : text.getBytes(StandardCharsets.UTF_8)) {
            if (b.length() >= MAX_DIAGNOSTIC) {
                break;
            }
            if (x >= 0x20 && x < 0x7f && x != '%') {
                b.append((char) x);
            } else {
                b.append('%')
                        .append(Character.toUpperCase(Character.forDigit((x >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(x & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
