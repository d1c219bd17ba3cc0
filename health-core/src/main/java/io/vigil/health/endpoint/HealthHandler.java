package io.vigil.health.endpoint;

import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Secrets;
import io.vigil.health.format.MicroProfileJsonWriter;
import io.vigil.health.format.ReportWriter;
import io.vigil.health.format.StatusPageWriter;
import io.vigil.health.format.StatusWordJsonWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP request handler: maps (method, path, query, Accept, caller) to (status, headers, body) for
 * every transport. Paths, relative to the mount root (base {@code /health} by default):
 * <ul>
 *   <li>{@code /health} all checks; {@code /health/live}, {@code /health/ready}, {@code /health/started};
 *       {@code /health/group/{name}}</li>
 *   <li>{@code /livez}, {@code /readyz}, {@code /healthz}; {@code /$liveness}, {@code /$readiness}</li>
 *   <li>each configured path alias ({@link Builder#pathAlias(String, Scope)}), e.g. {@code /ready}</li>
 *   <li>all of the above also under each configured version prefix, e.g. {@code /R4/$liveness}</li>
 * </ul>
 * {@code GET} and {@code HEAD}; {@code OPTIONS} answers 204 with {@code Allow}; other methods 405. Query
 * parameters: {@code verbose} (plain text), {@code exclude} (repeatable); unknown parameters are ignored. A request
 * whose {@code Accept} prefers {@code text/html} (a browser) gets the {@link StatusPageWriter status page}, with its
 * {@code Content-Security-Policy}; every other {@code Accept} negotiates as before. The status
 * and extra headers of a report's answer come from the {@link StatusPolicy}. A transport hands the request to
 * {@link #handle(HealthRequest, Object, DetailsAuthorizer)} and sends the answer with
 * {@link HealthResponse#writeTo(ResponseSink)}. Thread-safe.
 */
public final class HealthHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);
    /** Longest accepted raw path. */
    public static final int MAX_PATH = 2048;
    /** Longest accepted raw query string. */
    public static final int MAX_QUERY = 4096;

    private static final String ALLOW = "GET, HEAD, OPTIONS";

    private final HealthRegistry registry;
    private final DetailsPolicy details;
    private final StatusPolicy statusPolicy;
    private final Routes routes;
    private final MediaTypes mediaTypes;
    private final StatusPageWriter page;
    private final RenderCache rendered = new RenderCache();
    private final @Nullable OperatorControl operator; // null unless enabled

    private HealthHandler(Builder b) {
        this.registry = b.registry;
        this.details = b.details;
        this.statusPolicy = b.statusPolicy;
        this.routes = new Routes(b.basePath, Set.copyOf(b.prefixes), b.aliases);
        this.page = new StatusPageWriter(b.pageRefresh);
        @Nullable
        ReportWriter json = b.json != null
                ? b.json
                : b.jsonFormat == JsonFormat.STATUS_WORD
                        ? new StatusWordJsonWriter()
                        : new MicroProfileJsonWriter(b.strict);
        this.mediaTypes = new MediaTypes(json, page);
        this.operator = b.operatorControl ? new OperatorControl(b.registry, b.basePath) : null;
    }

    /**
     * @param registry the registry to serve
     * @return a builder: base {@code /health}, no version prefixes, details {@code NEVER}, extended JSON, the
     *     default status policy, a status page that reloads every 5 s
     */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(registry);
    }

    /** @return the registry's wall clock; a transport that writes its own {@code Date} header stamps it with this */
    public java.time.Clock clock() {
        return registry.clock();
    }

    /** @return the details policy */
    public DetailsPolicy detailsPolicy() {
        return details;
    }

    /** @return the status policy */
    public StatusPolicy statusPolicy() {
        return statusPolicy;
    }

    /**
     * The paths a transport that routes by path (a servlet mapping, a framework's router) must hand to this
     * handler, in servlet url-pattern syntax: the base path and everything under it ({@code /health/*}), the
     * mount-root aliases ({@code /livez}, ...), the path aliases, and everything under each version prefix
     * ({@code /R4/*}). A transport maps these instead of keeping its own list.
     *
     * @return the patterns, in a stable order
     */
    public List<String> mountPatterns() {
        return routes.mountPatterns();
    }

    /** The {@code application/json} representations a handler can be built with. */
    public enum JsonFormat {
        /** MicroProfile Health JSON, extended or strict ({@link Builder#strictMicroProfile(boolean)}); the default. */
        MICROPROFILE,
        /**
         * {@code {"status":"healthy|degraded|unhealthy","checks":{...}}} for consumers that expect status words
         * ({@link StatusWordJsonWriter}); the HTTP status stays the status policy's (200/200/503 by default).
         */
        STATUS_WORD
    }

    /**
     * Handles one request whose caller the transport has already judged ({@link HealthRequest#authorized()},
     * heeded only under {@link DetailsPolicy#WHEN_AUTHORIZED}). Never throws: a failure of the machinery is a 500
     * with an OperationOutcome.
     *
     * @param request the request
     * @return the response
     */
    public HealthResponse handle(HealthRequest request) {
        return handle(request, request.authorized() ? () -> true : () -> false);
    }

    /**
     * Handles one request for a transport: the authorizer is consulted only under
     * {@link DetailsPolicy#WHEN_AUTHORIZED}, only when a report is rendered, at most once; the request's own
     * {@link HealthRequest#authorized()} is ignored. Never throws: a failure of the machinery, the authorizer's
     * included, is a 500 with an OperationOutcome.
     *
     * @param request    the request
     * @param caller     what the transport knows of the caller, handed to the authorizer
     * @param authorizer decides whether that caller sees details
     * @param <R>        the transport's view of the request
     * @return the response
     */
    public <R> HealthResponse handle(HealthRequest request, R caller, DetailsAuthorizer<? super R> authorizer) {
        Objects.requireNonNull(authorizer, "authorizer");
        return handle(request, () -> authorizer.authorizes(caller));
    }

    private HealthResponse handle(HealthRequest request, BooleanSupplier authorized) {
        try {
            return route(request, authorized);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            LOG.atError()
                    .addKeyValue("error", Secrets.describe(e))
                    .log("health endpoint failed: {}", Secrets.describe(e));
            LOG.atDebug().setCause(Secrets.redacted(e)).log("health endpoint failure");
            return error(500, "exception", "The health machinery failed", request);
        }
    }

    private HealthResponse route(HealthRequest req, BooleanSupplier authorized) {
        if (req.path().length() > MAX_PATH) {
            return error(414, "too-long", "Path longer than " + MAX_PATH + " characters", req);
        }
        if (req.query() != null && req.query().length() > MAX_QUERY) {
            return error(414, "too-long", "Query longer than " + MAX_QUERY + " characters", req);
        }
        String path = PercentDecoding.decode(req.path(), false);
        if (path == null) {
            return error(400, "invalid", "Malformed percent-encoding in path", req);
        }
        if (operator != null && operator.matches(path)) {
            return operator.handle(req, authorized);
        }
        Route target = routes.resolve(path);
        if (target == null) {
            return error(404, "not-found", "No health endpoint at this path", req);
        }
        String method = req.method();
        if ("OPTIONS".equals(method)) {
            Map<String, String> h = HealthResponse.baseHeaders(null);
            h.put("Allow", ALLOW);
            return new HealthResponse(204, h, new byte[0], false);
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            HealthResponse r = error(405, "not-supported", "Method not allowed; use GET or HEAD", req);
            Map<String, String> h = new LinkedHashMap<>(r.headers());
            h.put("Allow", ALLOW);
            return new HealthResponse(405, h, r.body(), false);
        }
        QueryParameters q = QueryParameters.parse(req.query());
        if (q.error() != null) {
            return error(400, "invalid", q.error(), req);
        }
        ReportWriter writer;
        if (q.verbose()) {
            writer = MediaTypes.TEXT;
        } else {
            MediaTypes.Choice n = mediaTypes.negotiate(req.accept());
            if (n.error() != null) {
                return error(n.status(), n.status() == 406 ? "not-supported" : "invalid", n.error(), req);
            }
            writer = Objects.requireNonNull(n.writer(), "a choice without error has a writer");
        }
        if (target.group() != null && !registry.hasGroup(target.group())) {
            return error(404, "not-found", "No such health group", req);
        }
        HealthReport report = registry.evaluate(target.scope(), q.exclude());
        boolean showDetails = details == DetailsPolicy.ALWAYS
                || (details == DetailsPolicy.WHEN_AUTHORIZED && authorized.getAsBoolean());
        byte[] body =
                writer == page ? page(report, req, path, showDetails) : rendered.render(report, writer, showDetails);
        Map<String, String> extra = statusPolicy.headers(report);
        Map<String, String> headers;
        if (extra.isEmpty() && writer != page) {
            headers = HealthResponse.frozenBaseHeaders(writer.contentType()); // a cached probe allocates no map
        } else {
            headers = HealthResponse.baseHeaders(writer.contentType());
            if (writer == page) {
                headers.put("Content-Security-Policy", StatusPageWriter.CONTENT_SECURITY_POLICY);
                headers.put("Referrer-Policy", "no-referrer");
            }
            headers.putAll(extra);
        }
        return new HealthResponse(statusPolicy.status(report.outcome()), headers, body, "HEAD".equals(method));
    }

    /**
     * Renders the status page, never from the render cache: it shows ages relative to the report's time and the other
     * probes' last outcomes, which a cached body would freeze. People, not probes, ask for it.
     */
    private byte[] page(HealthReport report, HealthRequest req, String decodedPath, boolean showDetails) {
        Map<Probe, Outcome> outcomes = new EnumMap<>(Probe.class);
        for (Probe p : Probe.values()) {
            Outcome o = registry.lastOutcome(p);
            if (o != null) {
                outcomes.put(p, o);
            }
        }
        String prefix = routes.prefixOf(decodedPath);
        StatusPageWriter.Context context = new StatusPageWriter.Context(
                outcomes,
                PageLinks.probes(req.path(), routes.basePath(), prefix),
                PageLinks.all(req.path(), routes.basePath(), prefix),
                statusPolicy.status(report.outcome()));
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            page.write(report, context, showDetails, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static HealthResponse error(int status, String code, String diagnostics, HealthRequest req) {
        return HealthResponse.error(status, code, diagnostics, "HEAD".equals(req.method()));
    }

    /** Builds a {@link HealthHandler}. Not thread-safe. */
    public static final class Builder {
        private final HealthRegistry registry;
        private String basePath = "/health";
        private final List<String> prefixes = new ArrayList<>();
        private DetailsPolicy details = DetailsPolicy.NEVER;
        private boolean strict;
        private @Nullable ReportWriter json;
        private StatusPolicy statusPolicy = StatusPolicy.defaults();
        private Duration pageRefresh = Duration.ofSeconds(5);
        private JsonFormat jsonFormat = JsonFormat.MICROPROFILE;
        private final Map<String, Route> aliases = new LinkedHashMap<>();
        private boolean operatorControl;

        Builder(HealthRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * @param value base path such as {@code /health}, or {@code ""} to serve the probes at the mount root
         * @return this builder
         * @throws IllegalArgumentException unless empty or starting with {@code /} and not ending with one
         */
        public Builder basePath(String value) {
            Objects.requireNonNull(value, "basePath");
            if (!value.isEmpty() && (!value.startsWith("/") || value.endsWith("/"))) {
                throw new IllegalArgumentException("basePath must be empty or like /health");
            }
            basePath = value;
            return this;
        }

        /**
         * Also answers every path under these version prefixes, e.g. {@code "R4"} serves {@code /R4/$liveness}.
         *
         * @param values single path segments
         * @return this builder
         * @throws IllegalArgumentException for a value containing {@code /} or nothing
         */
        public Builder versionPrefixes(String... values) {
            for (String v : values) {
                if (v == null || v.isEmpty() || v.indexOf('/') >= 0) {
                    throw new IllegalArgumentException("invalid version prefix: " + v);
                }
                prefixes.add(v);
            }
            return this;
        }

        /**
         * @param value who sees details (default {@link DetailsPolicy#NEVER})
         * @return this builder
         */
        public Builder details(DetailsPolicy value) {
            details = Objects.requireNonNull(value, "details");
            return this;
        }

        /**
         * @param value emit exactly the MicroProfile Health JSON schema (default {@code false}: extended)
         * @return this builder
         */
        public Builder strictMicroProfile(boolean value) {
            strict = value;
            return this;
        }

        /**
         * Replaces the {@code application/json} representation (default: {@link MicroProfileJsonWriter}, extended or
         * strict per {@link #strictMicroProfile(boolean)}), e.g. for an adapter that names checks differently.
         *
         * @param value a stateless, thread-safe writer whose content type is JSON
         * @return this builder
         */
        public Builder jsonWriter(ReportWriter value) {
            json = Objects.requireNonNull(value, "jsonWriter");
            return this;
        }

        /**
         * @param value the {@code application/json} representation (default {@link JsonFormat#MICROPROFILE}); a
         *              {@link #jsonWriter(ReportWriter)} takes precedence
         * @return this builder
         */
        public Builder jsonFormat(JsonFormat value) {
            jsonFormat = Objects.requireNonNull(value, "jsonFormat");
            return this;
        }

        /**
         * Also serves a scope at an exact path of the caller's choosing, like Spring Boot's {@code additional-path}:
         * e.g. {@code pathAlias("/ready", Scope.of(Probe.READINESS))} for a runbook that names {@code /ready}, or
         * {@code pathAlias("/api/health/ready", ...)}. The path is relative to the mount root (not under the base
         * path) and is also served under each version prefix. Repeatable.
         *
         * @param path  a path starting with {@code /}, not ending with one, without {@code ?}, {@code #}, {@code %},
         *              {@code ..} segments or {@code *}
         * @param scope what the path evaluates: {@code Scope.of(probe)}, {@code Scope.all()} or
         *              {@code Scope.group(name)}
         * @return this builder
         * @throws IllegalArgumentException for an invalid path (checked here), or, from {@link #build()}, a path that
         *                                  is already the route to something else (e.g. {@code /health/live} as
         *                                  readiness)
         */
        public Builder pathAlias(String path, Scope scope) {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(scope, "scope");
            if (path.length() < 2
                    || path.charAt(0) != '/'
                    || path.endsWith("/")
                    || path.contains("//")
                    || path.contains("/../")
                    || path.endsWith("/..")
                    || path.contains("/./")
                    || path.endsWith("/.")
                    || path.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || "?#%*;\\".indexOf(c) >= 0)) {
                throw new IllegalArgumentException("path alias must be like /ready or /api/health/ready: " + path);
            }
            aliases.put(path, Route.of(scope));
            return this;
        }

        /**
         * @param value maps outcomes to HTTP status and headers (default {@link StatusPolicy#defaults()}); e.g.
         *              {@link StatusPolicy#consul()}, {@link StatusPolicy#envoy()}, {@link StatusPolicy#kubeletSafe()}
         * @return this builder
         */
        public Builder statusPolicy(StatusPolicy value) {
            statusPolicy = Objects.requireNonNull(value, "statusPolicy");
            return this;
        }

        /**
         * How often the {@code text/html} status page reloads itself in the browser.
         *
         * @param value the period, rounded up to whole seconds (default 5 s); {@link Duration#ZERO} turns reloading off
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder pageRefresh(Duration value) {
            Objects.requireNonNull(value, "pageRefresh");
            if (value.isNegative()) {
                throw new IllegalArgumentException("pageRefresh must not be negative");
            }
            pageRefresh = value;
            return this;
        }

        /**
         * Serves the operator's out-of-service control at {@code {base}/out-of-service} (default off: 404):
         * {@code POST ?reason=…&by=…} calls {@link HealthRegistry#outOfService(String, String)}, {@code DELETE}
         * {@link HealthRegistry#backInService()}. Only callers the transport's authorizer accepts may use it,
         * whatever the details policy: without credentials 401 ({@code WWW-Authenticate: Bearer}), with refused ones
         * 403, another method 405, a missing or invalid reason 400. Give the transport an authorizer (a bearer
         * token) before turning this on; with none, nobody is accepted.
         *
         * @param value whether to serve it
         * @return this builder
         */
        public Builder operatorControl(boolean value) {
            operatorControl = value;
            return this;
        }

        /** @return the handler */
        public HealthHandler build() {
            return new HealthHandler(this);
        }
    }
}
