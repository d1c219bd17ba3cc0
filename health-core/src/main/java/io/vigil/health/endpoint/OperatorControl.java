package io.vigil.health.endpoint;

import io.vigil.health.HealthRegistry;
import io.vigil.health.IssueSeverity;
import io.vigil.health.OutOfService;
import io.vigil.health.format.OperationOutcomeWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The operator's request at {@code {base}/out-of-service}: {@code POST ?reason=…&by=…} takes the instance out of
 * service, {@code DELETE} puts it back. Only for a caller the transport's authorizer accepts, whatever the details
 * policy: 401 (with {@code WWW-Authenticate: Bearer}) without credentials, 403 with refused ones, 405 for another
 * method. Every answer is an OperationOutcome. Immutable, thread-safe.
 */
final class OperatorControl {
    static final String ALLOW = "POST, DELETE, OPTIONS";

    private final HealthRegistry registry;
    private final String path;

    /** @param basePath the handler's base path ({@code ""} for the mount root) */
    OperatorControl(HealthRegistry registry, String basePath) {
        this.registry = registry;
        this.path = basePath + "/out-of-service";
    }

    /** @return whether a decoded path names the control (one trailing slash ignored, no version prefix) */
    boolean matches(String decodedPath) {
        return decodedPath.startsWith(path)
                && (decodedPath.length() == path.length()
                        || (decodedPath.length() == path.length() + 1 && decodedPath.charAt(path.length()) == '/'));
    }

    HealthResponse handle(HealthRequest req, BooleanSupplier authorized) {
        String method = req.method();
        boolean head = "HEAD".equals(method);
        if ("OPTIONS".equals(method)) {
            Map<String, String> h = HealthResponse.baseHeaders(null);
            h.put("Allow", ALLOW);
            return new HealthResponse(204, h, new byte[0], false);
        }
        if (!"POST".equals(method) && !"DELETE".equals(method)) {
            return with(
                    HealthResponse.error(405, "not-supported", "Method not allowed; use POST or DELETE", head),
                    "Allow",
                    ALLOW);
        }
        if (!authorized.getAsBoolean()) {
            return req.credentials()
                    ? HealthResponse.error(403, "forbidden", "This caller may not change the service state", false)
                    : with(
                            HealthResponse.error(401, "login", "Authentication required", false),
                            "WWW-Authenticate",
                            "Bearer");
        }
        if ("DELETE".equals(method)) {
            boolean was = registry.backInService();
            return information(was ? "Back in service" : "Already in service");
        }
        String reason = null;
        String by = "operator";
        String raw = req.query();
        if (raw != null) {
            for (String part : raw.split("&", -1)) { // an empty part names no key we read
                int eq = part.indexOf('=');
                String key = PercentDecoding.decode(eq < 0 ? part : part.substring(0, eq), true);
                String value = eq < 0 ? "" : PercentDecoding.decode(part.substring(eq + 1), true);
                if ("reason".equals(key) || "by".equals(key)) {
                    if (value == null) {
                        return HealthResponse.error(
                                400, "invalid", "Malformed percent-encoding in '" + key + "'", false);
                    }
                    if ("reason".equals(key)) {
                        reason = value;
                    } else {
                        by = value;
                    }
                }
            }
        }
        if (reason == null) {
            return HealthResponse.error(400, "required", "Say why: POST with ?reason=…", false);
        }
        try {
            OutOfService state = registry.outOfService(reason, by);
            return information(state.describe());
        } catch (IllegalArgumentException e) {
            return HealthResponse.error(
                    400, "invalid", String.valueOf(e.getMessage()), false); // our own fixed wording, no input
        }
    }

    private static HealthResponse information(String diagnostics) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            OperationOutcomeWriter.writeError(IssueSeverity.INFORMATION, "informational", diagnostics, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HealthResponse(
                200, HealthResponse.baseHeaders(MediaTypes.FHIR.contentType()), out.toByteArray(), false);
    }

    private static HealthResponse with(HealthResponse r, String name, String value) {
        Map<String, String> h = new java.util.LinkedHashMap<>(r.headers());
        h.put(name, value);
        return new HealthResponse(r.status(), h, r.body(), r.head());
    }
}
