package io.vigil.health.endpoint;

import io.vigil.health.IssueSeverity;
import io.vigil.health.format.OperationOutcomeWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What a transport sends back: status, headers (including {@code Content-Type}), and the body. Transports send it
 * with {@link #writeTo(ResponseSink)}, which applies the HEAD, 204 and {@code Content-Length} rules. Only the
 * handler (and {@link #refusal}, {@link #machineryFailure}) make responses. Immutable, thread-safe.
 */
public final class HealthResponse {
    /** Frozen base headers per content type; bounded by the writers' content types. */
    private static final Map<String, Map<String, String>> BASE = new ConcurrentHashMap<>();

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;
    private final boolean head;

    /** Copies the headers, unless they are already a frozen copy made by this package. */
    HealthResponse(int status, Map<String, String> headers, byte[] body, boolean head) {
        this.status = status;
        this.headers = headers instanceof Frozen ? headers : new Frozen(new LinkedHashMap<>(headers));
        this.body = body;
        this.head = head;
    }

    /** @return the HTTP status code */
    public int status() {
        return status;
    }

    /** @return header name → value, in order; never includes {@code Content-Length} */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return the body bytes (the GET body also for HEAD, so that its length can be announced); not to be modified */
    public byte[] body() {
        return body;
    }

    /** @return whether the request was HEAD (send headers only) */
    public boolean head() {
        return head;
    }

    /** @return the {@code Content-Type} header, or {@code null} for an answer without body (204) */
    public @Nullable String contentType() {
        return headers.get("Content-Type");
    }

    /** @return whether this status carries no body and no {@code Content-Length} (1xx, 204, 304) */
    public boolean bodyless() {
        return status < 200 || status == 204 || status == 304;
    }

    /**
     * Sends this response: {@link ResponseSink#status}, each header, {@code Content-Length} unless
     * {@link #bodyless()}, and the body unless bodyless, {@code HEAD} or empty.
     *
     * @param sink the transport's sink
     * @throws IOException from the sink
     */
    public void writeTo(ResponseSink sink) throws IOException {
        sink.status(status);
        for (Map.Entry<String, String> e : headers.entrySet()) {
            sink.header(e.getKey(), e.getValue());
        }
        if (bodyless()) {
            return;
        }
        sink.header("Content-Length", Integer.toString(body.length));
        if (!head && body.length > 0) {
            sink.body(body);
        }
    }

    /**
     * The answer of a transport whose health machinery is missing or failed before the handler could answer
     * (e.g. no registry is bound yet): 500 with an OperationOutcome of code {@code exception} and the headers of
     * every other answer.
     *
     * @param method      the request method (HEAD gets no body)
     * @param diagnostics a short, fixed text; never an exception message
     * @return the response
     */
    public static HealthResponse machineryFailure(String method, String diagnostics) {
        return error(500, "exception", diagnostics, "HEAD".equals(method));
    }

    /**
     * The answer to a request that a transport refuses before the handler sees it (a malformed, oversized or
     * unsupported request head): the status, an OperationOutcome with one issue of severity error, and the headers of
     * every other answer, so that a transport's own refusals look like the handler's.
     *
     * @param status      a 4xx or 5xx status, e.g. 400, 431, 505
     * @param code        the FHIR IssueType code, e.g. {@code invalid}, {@code too-long}, {@code not-supported}
     * @param diagnostics a short, fixed text; never request bytes or an exception message
     * @param head        whether the request was HEAD (no body)
     * @return the response
     * @throws IllegalArgumentException if the status is not 400..599
     */
    public static HealthResponse refusal(int status, String code, String diagnostics, boolean head) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal needs a 4xx or 5xx status, not " + status);
        }
        return error(
                status, Objects.requireNonNull(code, "code"), Objects.requireNonNull(diagnostics, "diagnostics"), head);
    }

    /**
     * A response that a transport makes of its own, beside the health routes (e.g. the JDK server's {@code /metrics}):
     * the status, the body in the given content type, and the headers of every other answer.
     *
     * @param status      the HTTP status
     * @param contentType the body's {@code Content-Type}
     * @param body        the body; not copied, not to be modified
     * @param head        whether the request was HEAD (no body sent)
     * @return the response
     */
    public static HealthResponse of(int status, String contentType, byte[] body, boolean head) {
        return new HealthResponse(
                status,
                frozenBaseHeaders(Objects.requireNonNull(contentType, "contentType")),
                Objects.requireNonNull(body, "body"),
                head);
    }

    /**
     * @param name  a header name, e.g. {@code Allow}
     * @param value its value
     * @return a copy with the header added (or replaced)
     */
    public HealthResponse withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new HealthResponse(status, copy, body, head);
    }

    /** An error answer: an OperationOutcome with one issue of severity error. */
    static HealthResponse error(int status, String code, String diagnostics, boolean head) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            OperationOutcomeWriter.writeError(IssueSeverity.ERROR, code, diagnostics, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HealthResponse(status, baseHeaders(MediaTypes.FHIR.contentType()), out.toByteArray(), head);
    }

    /**
     * The headers of every answer, frozen and shared: the same map for every answer of one content type (few
     * exist), so that a cached probe allocates no header map.
     */
    static Map<String, String> frozenBaseHeaders(String contentType) {
        return BASE.computeIfAbsent(contentType, t -> new Frozen(baseHeaders(t)));
    }

    /** An unmodifiable, ordered copy of headers that the record's constructor need not copy again. */
    private static final class Frozen extends AbstractMap<String, String> {
        private final Map<String, String> view;

        Frozen(Map<String, String> own) { // owned: nobody else holds it
            this.view = Collections.unmodifiableMap(own);
        }

        @Override
        public Set<Map.Entry<String, String>> entrySet() {
            return view.entrySet();
        }

        @Override
        public @Nullable String get(Object key) {
            return view.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return view.containsKey(key);
        }

        @Override
        public int size() {
            return view.size();
        }
    }

    /** The headers of every answer: the content type, {@code Cache-Control: no-store}, {@code nosniff}. */
    static Map<String, String> baseHeaders(@Nullable String contentType) {
        LinkedHashMap<String, String> h = new LinkedHashMap<>(8);
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        h.put("Cache-Control", "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        return h;
    }
}
