package io.vigil.health.endpoint;

import io.vigil.health.CheckEntry;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.IssueSeverity;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Secrets;
import io.vigil.health.format.HealthJsonWriter;
import io.vigil.health.format.MicroProfileJsonWriter;
import io.vigil.health.format.OperationOutcomeWriter;
import io.vigil.health.format.PlainTextWriter;
import io.vigil.health.format.ReportWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one HTTP request handler: maps (method, path, query, Accept, authorized) to (status, headers, body) for
 * every transport. Paths, relative to the mount root (base {@code /health} by default):
 * <ul>
 *   <li>{@code /health} all checks; {@code /health/live}, {@code /health/ready}, {@code /health/started};
 *       {@code /health/group/{name}}</li>
 *   <li>{@code /livez}, {@code /readyz}, {@code /healthz}; {@code /$liveness}, {@code /$readiness}</li>
 *   <li>all of the above also under each configured version prefix, e.g. {@code /R4/$liveness}</li>
 * </ul>
 * {@code GET} and {@code HEAD}; {@code OPTIONS} answers 204 with {@code Allow}; other methods 405. Query
 * parameters: {@code verbose} (plain text), {@code exclude} (repeatable); unknown parameters are ignored.
 * Thread-safe.
 */
public final class HealthHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HealthHandler.class);
    /** Longest accepted raw path. */
    public static final int MAX_PATH = 2048;
    /** Longest accepted raw query string. */
    public static final int MAX_QUERY = 4096;
    private static final String ALLOW = "GET, HEAD, OPTIONS";
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final ReportWriter FHIR = new OperationOutcomeWriter();
    private static final ReportWriter HEALTH_JSON = new HealthJsonWriter();
    private static final ReportWriter TEXT = new PlainTextWriter();

    private final HealthRegistry registry;
    private final String basePath;
    private final Set<String> prefixes;
    private final DetailsPolicy details;
    private final ReportWriter json;
    private final Negotiation defaultNegotiation;
    // scope -> last rendered body; bounded by the probes and the registered groups
    private final Map<Scope, Rendered> rendered = new ConcurrentHashMap<>();

    private HealthHandler(Builder b) {
        this.registry = b.registry;
        this.basePath = b.basePath;
        this.prefixes = Set.copyOf(b.prefixes);
        this.details = b.details;
        this.json = b.json != null ? b.json : new MicroProfileJsonWriter(b.strict);
        this.defaultNegotiation = new Negotiation(json, 0, null);
    }

    /**
     * @param registry the registry to serve
     * @return a builder: base {@code /health}, no version prefixes, details {@code NEVER}, extended JSON
     */
    public static Builder builder(HealthRegistry registry) {
        return new Builder(registry);
    }

    /** @return the details policy */
    public DetailsPolicy detailsPolicy() {
        return details;
    }

    /**
     * Handles one request. Never throws: a failure of the machinery is a 500 with an OperationOutcome.
     *
     * @param request the request
     * @return the response
     */
    public HealthResponse handle(HealthRequest request) {
        try {
            return route(request);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            LOG.atError().addKeyValue("error", Secrets.describe(e)).log("health endpoint failed: {}", Secrets.describe(e));
            LOG.atDebug().setCause(Secrets.redacted(e)).log("health endpoint failure");
            return error(500, "exception", "The health machinery failed", request);
        }
    }

    private HealthResponse route(HealthRequest req) {
        if (req.path().length() > MAX_PATH) {
            return error(414, "too-long", "Path longer than " + MAX_PATH + " characters", req);
        }
        if (req.query() != null && req.query().length() > MAX_QUERY) {
            return error(414, "too-long", "Query longer than " + MAX_QUERY + " characters", req);
        }
        String path = decode(req.path(), false);
        if (path == null) {
            return error(400, "invalid", "Malformed percent-encoding in path", req);
        }
        Target target = resolve(path);
        if (target == null) {
            return error(404, "not-found", "No health endpoint at this path", req);
        }
        String method = req.method();
        if ("OPTIONS".equals(method)) {
            Map<String, String> h = baseHeaders(null);
            h.put("Allow", ALLOW);
            return new HealthResponse(204, h, new byte[0], false);
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            HealthResponse r = error(405, "not-supported", "Method not allowed; use GET or HEAD", req);
            Map<String, String> h = new LinkedHashMap<>(r.headers());
            h.put("Allow", ALLOW);
            return new HealthResponse(405, h, r.body(), false);
        }
        Query q = parseQuery(req.query());
        if (q.error != null) {
            return error(400, "invalid", q.error, req);
        }
        ReportWriter writer;
        if (q.verbose) {
            writer = TEXT;
        } else {
            Negotiation n = negotiate(req.accept());
            if (n.error != null) {
                return error(n.status, n.status == 406 ? "not-supported" : "invalid", n.error, req);
            }
            writer = n.writer;
        }
        if (target.group != null && !registry.hasGroup(target.group)) {
            return error(404, "not-found", "No such health group", req);
        }
        HealthReport report = target.group != null ? registry.evaluateGroup(target.group, q.exclude)
                : target.probe != null ? registry.evaluate(target.probe, q.exclude) : registry.evaluateAll(q.exclude);
        boolean showDetails = details == DetailsPolicy.ALWAYS
                || (details == DetailsPolicy.WHEN_AUTHORIZED && req.authorized());
        byte[] body = render(report, writer, showDetails);
        Map<String, String> headers = baseHeaders(writer.contentType());
        if (report.retryAfter() != null && (report.httpStatus() == 423 || report.httpStatus() == 503)) {
            long s = Math.max(1, (report.retryAfter().toMillis() + 999) / 1000);
            headers.put("Retry-After", Long.toString(s));
        }
        return new HealthResponse(report.httpStatus(), headers, body, "HEAD".equals(method));
    }

    /**
     * The body of a report. While checks are served from cache, consecutive reports of a scope have the same
     * content (identical check entries, locks, license and issues), so the bytes rendered for the previous one are
     * reused: a cached probe then costs no serialisation and allocates no body.
     */
    private byte[] render(HealthReport report, ReportWriter writer, boolean showDetails) {
        Rendered last = rendered.get(report.scope());
        if (last != null && last.writer == writer && last.details == showDetails && sameContent(last.report, report)) {
            return last.body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(last == null ? 512 : last.body.length + 64);
        try {
            writer.write(report, showDetails, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = out.toByteArray();
        rendered.put(report.scope(), new Rendered(report, writer, showDetails, body));
        return body;
    }

    /** Whether two reports of one scope render alike: writers read nothing else (never the report's timestamp). */
    private static boolean sameContent(HealthReport a, HealthReport b) {
        if (a.outcome() != b.outcome() || a.license() != b.license()) {
            return false;
        }
        List<CheckEntry> x = a.checks();
        List<CheckEntry> y = b.checks();
        int n = x.size();
        if (n != y.size()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (x.get(i) != y.get(i)) {
                return false;
            }
        }
        return a.locks().equals(b.locks()) && a.issues().equals(b.issues());
    }

    /** The last body rendered for a scope; immutable, replaced whole. */
    private record Rendered(HealthReport report, ReportWriter writer, boolean details, byte[] body) {
    }

    private record Target(Probe probe, String group) {
    }

    private static final Target ALL = new Target(null, null);
    private static final Target LIVE = new Target(Probe.LIVENESS, null);
    private static final Target READY = new Target(Probe.READINESS, null);
    private static final Target STARTED = new Target(Probe.STARTUP, null);

    private Target resolve(String decodedPath) {
        String p = decodedPath;
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!prefixes.isEmpty()) {
            int second = p.indexOf('/', 1);
            String first = second < 0 ? p.substring(1) : p.substring(1, second);
            if (prefixes.contains(first)) {
                p = second < 0 ? "/" : p.substring(second);
            }
        }
        switch (p) {
            case "/livez", "/$liveness":
                return LIVE;
            case "/readyz", "/$readiness":
                return READY;
            case "/healthz":
                return ALL;
            default:
                break;
        }
        String rest;
        if (basePath.isEmpty()) {
            rest = p.equals("/") ? "" : p;
        } else if (p.equals(basePath)) {
            rest = "";
        } else if (p.startsWith(basePath) && p.charAt(basePath.length()) == '/') {
            rest = tail(p, basePath.length());
        } else {
            return null;
        }
        switch (rest) {
            case "":
                return ALL;
            case "/live":
                return LIVE;
            case "/ready":
                return READY;
            case "/started":
                return STARTED;
            default:
                if (rest.startsWith("/group/")) {
                    String g = rest.substring(7);
                    return g.isEmpty() || g.indexOf('/') >= 0 ? null : new Target(null, g);
                }
                return null;
        }
    }

    private static final String[] PROBE_TAILS = {"/live", "/ready", "/started"};

    /** {@code p.substring(from)}, without allocating for the probe paths. */
    private static String tail(String p, int from) {
        for (String t : PROBE_TAILS) {
            if (p.length() - from == t.length() && p.startsWith(t, from)) {
                return t;
            }
        }
        return p.substring(from);
    }

    private record Query(boolean verbose, Set<String> exclude, String error) {
    }

    private static final Query NO_QUERY = new Query(false, Set.of(), null);

    private static Query parseQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return NO_QUERY;
        }
        boolean verbose = false;
        Set<String> exclude = Set.of();
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = decode(eq < 0 ? part : part.substring(0, eq), true);
            String value = eq < 0 ? null : decode(part.substring(eq + 1), true);
            if (key == null) {
                continue; // an undecodable unknown parameter is ignored like any unknown one
            }
            if (key.equals("verbose")) {
                if (eq >= 0 && value == null) {
                    return new Query(false, Set.of(), "Malformed value of 'verbose'");
                }
                if (value == null || value.isEmpty() || value.equals("true") || value.equals("1")) {
                    verbose = true;
                } else if (value.equals("false") || value.equals("0")) {
                    verbose = false;
                } else {
                    return new Query(false, Set.of(), "'verbose' takes true, false, 1, 0 or no value");
                }
            } else if (key.equals("exclude")) {
                if (value == null || value.isEmpty() || value.length() > HealthRegistry.MAX_NAME_LENGTH
                        || value.chars().anyMatch(Character::isISOControl)) {
                    return new Query(false, Set.of(), "'exclude' takes a check name of 1 to "
                            + HealthRegistry.MAX_NAME_LENGTH + " characters");
                }
                if (exclude.isEmpty()) {
                    exclude = new LinkedHashSet<>();
                }
                exclude.add(value);
            }
        }
        return new Query(verbose, exclude, null);
    }

    private record Negotiation(ReportWriter writer, int status, String error) {
    }

    private Negotiation negotiate(String accept) {
        if (accept == null || accept.isBlank()) {
            return defaultNegotiation;
        }
        if (accept.length() > 1024) {
            return new Negotiation(null, 400, "Accept header too long");
        }
        ReportWriter best = null;
        double bestQ = 0;
        for (String range : accept.split(",")) {
            String r = range.trim();
            if (r.isEmpty()) {
                continue;
            }
            String[] parts = r.split(";", -1);
            if (parts.length == 0) {
                return new Negotiation(null, 400, "Malformed Accept header"); // only semicolons
            }
            String type = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
            int slash = type.indexOf('/');
            if (slash <= 0 || slash == type.length() - 1 || !TOKEN.matcher(type.substring(0, slash)).matches()
                    || !TOKEN.matcher(type.substring(slash + 1)).matches()) {
                return new Negotiation(null, 400, "Malformed Accept header");
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    return new Negotiation(null, 400, "Malformed Accept header");
                }
                if (param.substring(0, eq).trim().equalsIgnoreCase("q")) {
                    try {
                        q = Double.parseDouble(param.substring(eq + 1).trim());
                    } catch (NumberFormatException e) {
                        return new Negotiation(null, 400, "Malformed quality value in Accept header");
                    }
                    if (!(q >= 0 && q <= 1)) {
                        return new Negotiation(null, 400, "Quality value in Accept header out of range");
                    }
                }
            }
            ReportWriter w = writerFor(type);
            if (w != null && q > bestQ) {
                best = w;
                bestQ = q;
            }
        }
        if (best == null) {
            return new Negotiation(null, 406, "None of the accepted media types is available; use "
                    + "application/json, application/fhir+json, application/health+json or text/plain");
        }
        return new Negotiation(best, 0, null);
    }

    private ReportWriter writerFor(String type) {
        return switch (type) {
            case "application/json", "application/*", "*/*" -> json;
            case "application/fhir+json", "application/json+fhir" -> FHIR;
            case "application/health+json" -> HEALTH_JSON;
            case "text/plain", "text/*" -> TEXT;
            default -> null;
        };
    }

    private static Map<String, String> baseHeaders(String contentType) {
        Map<String, String> h = new LinkedHashMap<>(8);
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        h.put("Cache-Control", "no-store");
        h.put("X-Content-Type-Options", "nosniff");
        return h;
    }

    private static HealthResponse error(int status, String code, String diagnostics, HealthRequest req) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            OperationOutcomeWriter.writeError(IssueSeverity.ERROR, code, diagnostics, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HealthResponse(status, baseHeaders(FHIR.contentType()), out.toByteArray(),
                "HEAD".equals(req.method()));
    }

    /**
     * Strict percent-decoding as UTF-8.
     *
     * @param s     raw text
     * @param query whether {@code +} means space
     * @return decoded text, or {@code null} if malformed
     */
    static String decode(String s, boolean query) {
        if (s.indexOf('%') < 0 && !(query && s.indexOf('+') >= 0)) {
            return s;
        }
        ByteBuffer bytes = ByteBuffer.allocate(s.length() * 3);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else if (query && c == '+') {
                bytes.put((byte) ' ');
            } else {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Builds a {@link HealthHandler}. Not thread-safe. */
    public static final class Builder {
        private final HealthRegistry registry;
        private String basePath = "/health";
        private final List<String> prefixes = new ArrayList<>();
        private DetailsPolicy details = DetailsPolicy.NEVER;
        private boolean strict;
        private ReportWriter json;

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

        /** @return the handler */
        public HealthHandler build() {
            return new HealthHandler(this);
        }
    }
}
