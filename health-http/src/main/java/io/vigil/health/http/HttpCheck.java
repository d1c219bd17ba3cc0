package io.vigil.health.http;

import com.fasterxml.jackson.core.JsonPointer;
import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an upstream HTTP(S) endpoint with the JDK's {@link HttpClient}:
 *
 * <pre>{@code
 * HttpCheck fhir = HttpCheck.builder("https://fhir.example.com/metadata")
 *         .expectStatus(200, 299)
 *         .bodyContains("CapabilityStatement")
 *         .bearerToken(tokens::current)          // asked on every check, so tokens may rotate
 *         .build();
 * registry.register("fhir", fhir, CheckPolicy.builder().circuitBreaker(3, Duration.ofSeconds(30)).build());
 * }</pre>
 *
 * <p>Verdicts, first match wins: no answer (refused, DNS, timeout, TLS, connection broken) is DOWN; an upstream
 * that follows the Vigil contract is interpreted (423 is DEGRADED "upstream locked", 402 is DOWN, a
 * MicroProfile or health+json body reporting DOWN/fail is DOWN naming the upstream's failing checks, one
 * reporting a degraded outcome/warn is DEGRADED); a status outside the expected range (default 200–399) is
 * DOWN; an unmet body condition is DOWN; otherwise UP. Data: {@code url} (without credentials and query),
 * {@code method}, {@code statusCode}, {@code roundTripMs}.
 *
 * <p>Only a bounded prefix of the body is read (default 64 KiB); the rest is cancelled. URL user-info is sent as
 * HTTP Basic authentication and, like the query string and every header value, never appears in a message,
 * data or log line. Checks built without {@link Builder#client(HttpClient)} share one JDK client per (connect
 * timeout, redirect policy) speaking HTTP/1.1. Immutable and thread-safe; kind {@link CheckKind#DEPENDENCY}.
 */
public final class HttpCheck implements AsyncHealthCheck {
    private static final Logger LOG = LoggerFactory.getLogger(HttpCheck.class);
    private static final Duration BRIDGE_GRACE = Duration.ofMillis(200);
    private static final String USER_AGENT = "vigil-health-check";

    /** The request method. */
    public enum Method {
        /** Reads the status, headers and a bounded prefix of the body. */
        GET,
        /** Reads the status and headers only; body conditions and body interpretation do not apply. */
        HEAD
    }

    private final URI uri;
    private final String safeUrl;
    private final String target;
    private final Method method;
    private final int minStatus;
    private final int maxStatus;
    private final List<BodyCondition> conditions;
    private final Map<String, Supplier<String>> headers;
    private final Duration requestTimeout;
    private final int maxBodyBytes;
    private final boolean interpret;
    private final HttpClient client;

    private HttpCheck(Builder b, URI uri, Map<String, Supplier<String>> headers) {
        this.uri = uri;
        this.safeUrl = Secrets.safeUrl(uri.toString());
        this.target = uri.getHost() + ":"
                + (uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        this.method = b.method;
        this.minStatus = b.minStatus;
        this.maxStatus = b.maxStatus;
        this.conditions = List.copyOf(b.conditions);
        this.headers = headers;
        this.requestTimeout = b.requestTimeout;
        this.maxBodyBytes = b.maxBodyBytes;
        this.interpret = b.interpret;
        this.client = b.client != null ? b.client : SharedClients.get(b.connectTimeout, b.redirects);
    }

    /**
     * @param url an {@code http} or {@code https} URL; user-info, if any, becomes Basic authentication
     * @return a builder with the defaults: GET, 200–399, connect timeout 500 ms, request timeout 800 ms,
     *         no redirects followed, 64 KiB body prefix, upstream health answers interpreted
     * @throws IllegalArgumentException if the URL is malformed or not HTTP(S) (the message omits credentials
     *                                  and query)
     */
    public static Builder builder(String url) {
        Objects.requireNonNull(url, "url");
        try {
            return builder(new URI(url));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("malformed URL: " + Secrets.safeUrl(url));
        }
    }

    /**
     * @param uri an {@code http} or {@code https} URI; user-info, if any, becomes Basic authentication
     * @return a builder with the defaults listed at {@link #builder(String)}
     * @throws IllegalArgumentException if the URI is not an absolute HTTP(S) URI with a host
     */
    public static Builder builder(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if ((!scheme.equals("http") && !scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(
                    "not an absolute http(s) URL with a host: " + Secrets.safeUrl(uri.toString()));
        }
        return new Builder(uri);
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DEPENDENCY;
    }

    /**
     * Every evaluation starts a call of its own, so the engine may cancel it at the deadline.
     *
     * @return {@code true}
     */
    @Override
    public boolean cancelOnTimeout() {
        return true;
    }

    /**
     * Sends the request with {@link HttpClient#sendAsync}; no thread waits for the answer. The exchange is bounded by
     * the time the engine has left, at most the {@link Builder#requestTimeout(Duration) request timeout}; cancelling
     * the returned stage (the engine does at its deadline) cancels the exchange.
     */
    @Override
    public CompletionStage<CheckResult> checkAsync(CheckContext context) {
        Duration budget = context.ioTimeout(requestTimeout);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("url", safeUrl);
        data.put("method", method.name());
        if (budget.isZero()) {
            return CompletableFuture.completedFuture(result(Status.DOWN, timedOut(null, budget), data));
        }
        HttpRequest request;
        try {
            request = request(budget);
        } catch (RuntimeException e) {
            LOG.atDebug()
                    .addKeyValue("url", safeUrl)
                    .addKeyValue("error", Secrets.describe(e))
                    .log("building the upstream request failed");
            return CompletableFuture.completedFuture(result(
                    Status.DOWN,
                    "cannot build the request: a header supplier failed ("
                            + e.getClass().getSimpleName() + ")",
                    data));
        }
        AtomicReference<HttpResponse.ResponseInfo> head = new AtomicReference<>();
        HttpResponse.BodyHandler<BoundedBody> handler = info -> {
            head.set(info);
            return method == Method.HEAD ? BoundedBody.discarding() : BoundedBody.subscriber(maxBodyBytes);
        };
        long start = System.nanoTime();
        CompletableFuture<HttpResponse<BoundedBody>> call = client.sendAsync(request, handler);
        // a stage of our own, not one derived from the client's: cancelling it must not first cancel the exchange
        // and then find itself already completed by that cancellation (the client's futures cancel upstream)
        CompletableFuture<CheckResult> out = new CompletableFuture<>();
        // the callback handles every outcome itself; the stage it returns is not needed
        var unusedAnswer = call.whenComplete((response, error) -> {
            if (out.isDone()) {
                return;
            }
            try {
                if (error != null) {
                    Throwable cause =
                            error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                    out.complete(result(Status.DOWN, failure(cause, head.get(), budget), data));
                    return;
                }
                data.put("statusCode", response.statusCode());
                data.put("roundTripMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                out.complete(judge(response, data));
            } catch (RuntimeException e) {
                out.completeExceptionally(e);
            }
        });
        // the request timeout ends at the head on JDK 17: the whole exchange, body included, gets the budget here,
        // so a stalled body is this check's "not complete" and not the engine's generic timeout
        CompletableFuture<Void> deadline = new CompletableFuture<Void>()
                .completeOnTimeout(null, budget.toNanos(), TimeUnit.NANOSECONDS); // on the JDK's delayer thread
        // the callback handles every outcome itself; the stage it returns is not needed
        var unusedDeadline = deadline.thenRun(() -> {
            if (out.complete(result(Status.DOWN, timedOut(head.get(), budget), data))) {
                call.cancel(true);
            }
        });
        // the callback handles every outcome itself; the stage it returns is not needed
        var unusedCleanup = out.whenComplete((r, t) -> {
            deadline.cancel(false); // removes the delayed task
            if (out.isCancelled()) {
                call.cancel(true); // the engine gave up: so does the exchange
            }
        });
        return out;
    }

    /**
     * Blocking bridge for direct callers: waits a little longer than the request timeout, so that the client's
     * own timeout, which names what was slow, ends the exchange.
     */
    @Override
    public CheckResult check() throws InterruptedException {
        try {
            return check(CheckContext.within(requestTimeout.plus(BRIDGE_GRACE)));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // the bridge's own deadline: the client did not end the exchange in time
            return result(
                    Status.DOWN,
                    "request to " + safeUrl + " not answered after "
                            + requestTimeout.plus(BRIDGE_GRACE).toMillis() + " ms",
                    Map.of("url", safeUrl));
        }
    }

    private HttpRequest request(Duration budget) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(uri).timeout(budget).method(method.name(), HttpRequest.BodyPublishers.noBody());
        boolean agent = false;
        for (Map.Entry<String, Supplier<String>> h : headers.entrySet()) {
            String value = h.getValue().get();
            if (value == null) {
                throw new IllegalStateException("header supplier returned null");
            }
            b.header(h.getKey(), value);
            agent |= h.getKey().equalsIgnoreCase("User-Agent");
        }
        if (!agent) {
            b.header("User-Agent", USER_AGENT);
        }
        return b.build();
    }

    private CheckResult judge(HttpResponse<BoundedBody> response, Map<String, Object> data) {
        int code = response.statusCode();
        BoundedBody body = response.body();
        if (interpret && code == 423) {
            return result(Status.DEGRADED, "upstream locked (HTTP 423 from " + safeUrl + ")", data);
        }
        if (interpret && code == 402) {
            return result(Status.DOWN, "upstream license expired or invalid (HTTP 402 from " + safeUrl + ")", data);
        }
        if (interpret && method == Method.GET) {
            UpstreamHealth upstream = UpstreamHealth.parse(
                    response.headers().firstValue("Content-Type").orElse(null), body.bytes());
            if (upstream != null && upstream.status() != Status.UP) {
                String verdict = upstream.status() == Status.DOWN ? "DOWN" : "DEGRADED";
                String names = upstream.culprits().isEmpty()
                        ? ""
                        : (upstream.status() == Status.DOWN ? ", failing: " : ", degraded: ") + upstream.culpritList();
                return result(
                        upstream.status(),
                        "upstream reports " + verdict + names + " (HTTP " + code + " from " + safeUrl + ")",
                        data);
            }
        }
        if (code < minStatus || code > maxStatus) {
            return result(
                    Status.DOWN,
                    "HTTP " + code + " from " + safeUrl + ", expected " + minStatus + "-" + maxStatus,
                    data);
        }
        if (method == Method.GET) {
            for (BodyCondition c : conditions) {
                String failure = c.failure(body);
                if (failure != null) {
                    return result(Status.DOWN, failure + " (HTTP " + code + " from " + safeUrl + ")", data);
                }
            }
        }
        return result(Status.UP, "HTTP " + code + " from " + safeUrl, data);
    }

    private String timedOut(HttpResponse.@Nullable ResponseInfo head, Duration budget) {
        return head == null
                ? "request to " + safeUrl + " timed out after " + budget.toMillis() + " ms"
                : "response body from " + safeUrl + " (HTTP " + head.statusCode() + ") not complete after "
                        + budget.toMillis() + " ms";
    }

    private String failure(Throwable error, HttpResponse.@Nullable ResponseInfo head, Duration budget) {
        LOG.atDebug()
                .addKeyValue("url", safeUrl)
                .addKeyValue("error", Secrets.describe(error))
                .log("upstream request failed");
        if (error instanceof HttpConnectTimeoutException) {
            return "connect to " + target + " timed out"
                    + client.connectTimeout()
                            .map(d -> " after " + d.toMillis() + " ms")
                            .orElse("");
        }
        if (error instanceof HttpTimeoutException) {
            return timedOut(head, budget);
        }
        if (head != null) {
            return "connection to " + safeUrl + " broke off while reading the body of an HTTP " + head.statusCode()
                    + " answer: " + Secrets.describe(error);
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return "TLS handshake with " + target + " failed: " + Secrets.describe(t);
            }
        }
        return Network.describe(error, uri.getHost(), target);
    }

    private static CheckResult result(Status status, @Nullable String message, Map<String, Object> data) {
        return CheckResult.of(status, message).withData(data);
    }

    @Override
    public String toString() {
        return "HttpCheck[" + method + " " + safeUrl + "]";
    }

    /** Builds an {@link HttpCheck}. Not thread-safe. */
    public static final class Builder {
        private static final int MAX_BODY_LIMIT = 16 * 1024 * 1024;

        private final URI uri;
        private Method method = Method.GET;
        private int minStatus = 200;
        private int maxStatus = 399;
        private final List<BodyCondition> conditions = new ArrayList<>();
        private final Map<String, Supplier<String>> headers = new LinkedHashMap<>();
        private Duration connectTimeout = Duration.ofMillis(500);
        private Duration requestTimeout = Duration.ofMillis(800);
        private HttpClient.Redirect redirects = HttpClient.Redirect.NEVER;
        private boolean clientSettings;
        private int maxBodyBytes = 64 * 1024;
        private boolean interpret = true;
        private @Nullable HttpClient client;

        Builder(URI uri) {
            this.uri = uri;
        }

        /**
         * @param value GET (default) or HEAD
         * @return this builder
         */
        public Builder method(Method value) {
            method = Objects.requireNonNull(value, "method");
            return this;
        }

        /**
         * @param min lowest status counted as UP, 100–599 (default 200)
         * @param max highest status counted as UP, {@code min}–599 (default 399)
         * @return this builder
         * @throws IllegalArgumentException for an empty or out-of-range range
         */
        public Builder expectStatus(int min, int max) {
            if (min < 100 || max > 599 || min > max) {
                throw new IllegalArgumentException("status range must lie within 100-599 and not be empty");
            }
            minStatus = min;
            maxStatus = max;
            return this;
        }

        /**
         * Requires the body prefix to contain a text (compared as UTF-8). The text is never echoed.
         *
         * @param text the expected text, not empty
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        public Builder bodyContains(String text) {
            if (Objects.requireNonNull(text, "text").isEmpty()) {
                throw new IllegalArgumentException("text must not be empty");
            }
            conditions.add(new BodyCondition.Contains(text));
            return this;
        }

        /**
         * Requires the JSON value at a pointer (RFC 6901, e.g. {@code /status} or {@code /checks/0/state}) to
         * equal a text; numbers and booleans compare by their JSON text ({@code 42}, {@code true}). The value
         * must lie within the body prefix.
         *
         * @param pointer  a JSON pointer
         * @param expected the expected value as text
         * @return this builder
         * @throws IllegalArgumentException for a malformed pointer
         */
        public Builder jsonFieldEquals(String pointer, String expected) {
            Objects.requireNonNull(pointer, "pointer");
            Objects.requireNonNull(expected, "expected");
            JsonPointer p;
            try {
                p = JsonPointer.compile(pointer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("malformed JSON pointer: " + pointer, e);
            }
            conditions.add(new BodyCondition.JsonFieldEquals(p, expected));
            return this;
        }

        /**
         * Adds a request header with a fixed value. Values never appear in output or logs.
         *
         * @param name  header name (not one the JDK client reserves, such as {@code Host} or {@code Connection})
         * @param value header value
         * @return this builder
         * @throws IllegalArgumentException for a reserved or malformed name
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(value, "value");
            return header(name, () -> value);
        }

        /**
         * Adds a request header whose value is asked for on every check (rotating credentials). A supplier that
         * throws or returns {@code null} makes the check DOWN without calling the upstream.
         *
         * @param name  header name
         * @param value supplier of the value, called on the check's thread
         * @return this builder
         * @throws IllegalArgumentException for a reserved or malformed name
         */
        public Builder header(String name, Supplier<String> value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            HttpRequest.newBuilder(uri).header(name, "probe"); // rejects reserved and malformed names now
            headers.put(name, value);
            return this;
        }

        /**
         * Sends {@code Authorization: Bearer <token>}, asking the supplier on every check so tokens may rotate.
         *
         * @param token supplier of the token
         * @return this builder
         */
        public Builder bearerToken(Supplier<String> token) {
            Objects.requireNonNull(token, "token");
            return header("Authorization", () -> {
                String t = token.get();
                return t == null ? null : "Bearer " + t;
            });
        }

        /**
         * @param value TCP connect timeout of the shared client (default 500 ms); not with {@link #client}
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder connectTimeout(Duration value) {
            connectTimeout = Require.positive(value, "connectTimeout");
            clientSettings = true;
            return this;
        }

        /**
         * Bound on the whole exchange: connect, TLS, headers and the body prefix (default 800 ms). Keep it below
         * the check's policy timeout (default 1 s) so the report names what was slow.
         *
         * @param value the timeout
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder requestTimeout(Duration value) {
            requestTimeout = Require.positive(value, "requestTimeout");
            return this;
        }

        /**
         * @param value redirect policy of the shared client (default {@link HttpClient.Redirect#NEVER}: a 3xx is
         *              judged as it is, and credentials never travel to another host); not with {@link #client}
         * @return this builder
         */
        public Builder redirects(HttpClient.Redirect value) {
            redirects = Objects.requireNonNull(value, "redirects");
            clientSettings = true;
            return this;
        }

        /**
         * @param value bytes of the body read for conditions and interpretation, 0 to 16 MiB (default 65536);
         *              the rest of the body is cancelled
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxBodyBytes(int value) {
            if (value < 0 || value > MAX_BODY_LIMIT) {
                throw new IllegalArgumentException("maxBodyBytes must be 0 to " + MAX_BODY_LIMIT);
            }
            maxBodyBytes = value;
            return this;
        }

        /**
         * @param value whether to interpret 423, 402 and MicroProfile/health+json bodies (default {@code true});
         *              with {@code false} only the status range and body conditions decide
         * @return this builder
         */
        public Builder interpretHealthResponses(boolean value) {
            interpret = value;
            return this;
        }

        /**
         * Uses the application's own client (its SSL context, proxy, connect timeout and redirect policy)
         * instead of the shared one.
         *
         * @param value the client
         * @return this builder
         */
        public Builder client(HttpClient value) {
            client = Objects.requireNonNull(value, "client");
            return this;
        }

        /**
         * @return the check
         * @throws IllegalStateException if {@link #client} is combined with {@link #connectTimeout} or
         *                               {@link #redirects}, or user-info is combined with an
         *                               {@code Authorization} header
         */
        public HttpCheck build() {
            if (client != null && clientSettings) {
                throw new IllegalStateException("connectTimeout and redirects are settings of the supplied client");
            }
            Map<String, Supplier<String>> h = new LinkedHashMap<>(headers);
            URI target = uri;
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                if (h.keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Authorization"))) {
                    throw new IllegalStateException("URL user-info and an Authorization header both given");
                }
                String credentials = URLDecoder.decode(userInfo.replace("+", "%2B"), StandardCharsets.UTF_8);
                String basic =
                        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
                h.put("Authorization", () -> basic);
                target = withoutUserInfo(uri);
            }
            return new HttpCheck(this, target, Map.copyOf(h));
        }

        private static URI withoutUserInfo(URI u) {
            StringBuilder s = new StringBuilder(u.getScheme()).append("://");
            String host = u.getRawAuthority().substring(u.getRawAuthority().lastIndexOf('@') + 1);
            s.append(host);
            if (u.getRawPath() != null) {
                s.append(u.getRawPath());
            }
            if (u.getRawQuery() != null) {
                s.append('?').append(u.getRawQuery());
            }
            return URI.create(s.toString());
        }
    }
}
