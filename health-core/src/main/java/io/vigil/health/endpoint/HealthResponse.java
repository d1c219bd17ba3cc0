package io.vigil.health.endpoint;

import java.util.Map;

/**
 * What a transport sends back: status, headers (including {@code Content-Type}), and the body. Transports set
 * {@code Content-Length} to {@code body.length} and, for {@code HEAD}, send no body.
 *
 * @param status  HTTP status code
 * @param headers header name → value, in order; never includes {@code Content-Length}
 * @param body    the body bytes (the GET body also for HEAD, so that its length can be announced)
 * @param head    whether the request was HEAD (send headers only)
 */
public record HealthResponse(int status, Map<String, String> headers, byte[] body, boolean head) {
    /** Copies the headers. */
    public HealthResponse {
        headers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
    }

    /** @return the {@code Content-Type} header */
    public String contentType() {
        return headers.get("Content-Type");
    }
}
