package io.vigil.health.endpoint;

import java.io.IOException;

/**
 * Where a transport receives a {@link HealthResponse}, in order: the status, each header, then the body if one is
 * sent. {@link HealthResponse#writeTo(ResponseSink)} applies the response rules once for every transport: no body
 * for {@code HEAD}; neither {@code Content-Length} nor body for 1xx, 204 and 304; otherwise {@code Content-Length}
 * is the length of the body that {@code GET} sends (also for {@code HEAD}). An adapter only translates these calls
 * into its server's API.
 */
public interface ResponseSink {
    /**
     * @param code the HTTP status code; called first, once
     * @throws IOException from the transport
     */
    void status(int code) throws IOException;

    /**
     * @param name  header name as the handler spells it, e.g. {@code Content-Type}, {@code Content-Length}
     * @param value header value; never contains CR or LF
     * @throws IOException from the transport
     */
    void header(String name, String value) throws IOException;

    /**
     * Called last, at most once, only when a body is sent and it is not empty.
     *
     * @param bytes the body; not to be modified
     * @throws IOException from the transport
     */
    void body(byte[] bytes) throws IOException;
}
