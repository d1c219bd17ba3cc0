package io.vigil.health.tck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.TaskLock;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.StatusPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The transport compatibility kit: the HTTP contract of docs/http-contract.md, written once and run against every
 * transport (the JDK server, Servlet containers, JAX-RS runtimes, the Spring Boot starter's mount) and against
 * yours. A transport's test extends it and implements {@link #serve}: mount the given handler at the root of a real
 * server on loopback, authorizing callers whose {@code Authorization} header passes the predicate. The
 * {@code passes…}/{@code serves…} hooks declare what a server refuses before the handler sees a request.
 *
 * <pre>{@code
 * class MyServerContractTest extends HttpContractSuite {
 *     protected Served serve(HealthHandler handler, Predicate<String> authorized) {
 *         MyServer s = MyServer.mount(handler, authorized).start(0);
 *         return Served.of(URI.create("http://127.0.0.1:" + s.port()), s::stop);
 *     }
 * }
 * }</pre>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpContractSuite {

    /** For a transport's contract test, which extends this suite. */
    protected HttpContractSuite() {}

    /** A running server. */
    public interface Served extends AutoCloseable {
        /** @return e.g. {@code http://127.0.0.1:1234} (no trailing slash) */
        URI base();

        /** Stops the server; throws no checked exception, so a try-with-resources needs no handler. */
        @Override
        void close();

        /**
         * @param base  the server's base URI; a trailing slash is dropped
         * @param stop  stops the server
         * @return a running server
         */
        static Served of(URI base, Runnable stop) {
            URI b = URI.create(base.toString().replaceAll("/$", ""));
            return new Served() {
                @Override
                public URI base() {
                    return b;
                }

                @Override
                public void close() {
                    stop.run();
                }
            };
        }
    }

    /** Token that the suite's authorization predicate accepts. */
    public static final String TOKEN = "Bearer s3cret-admin-token";
    /** A secret that checks put into their messages; it must never reach a response. */
    public static final String SECRET = "hunter2";

    /**
     * Mounts the handler at the server root.
     *
     * @param handler    the handler to serve
     * @param authorized predicate on the {@code Authorization} header value (never called without one)
     * @return the running server
     * @throws Exception if it cannot start
     */
    protected abstract Served serve(HealthHandler handler, Predicate<String> authorized) throws Exception;

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Switches the tests flip; every check reads its switch on each (uncached) evaluation. */
    protected static final class World {
        final AtomicReference<CheckResult> db = new AtomicReference<>();
        final AtomicReference<CheckResult> cache = new AtomicReference<>();
        final AtomicReference<CheckResult> alive = new AtomicReference<>();
        final AtomicReference<LicenseState> license = new AtomicReference<>();
        final AtomicBoolean clockBroken = new AtomicBoolean();
        final AtomicReference<Instant> pinnedNow = new AtomicReference<>();
        final HealthRegistry registry;

        // the switches may hold null on purpose (a check that returns null): what the engine answers is in the contract
        @SuppressWarnings("NullAway")
        World(Consumer<HealthRegistry.Builder> config) {
            reset();
            Clock clock = new Clock() {
                @Override
                public ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    if (clockBroken.get()) {
                        throw new IllegalStateException("clock failure, password=" + SECRET);
                    }
                    Instant pinned = pinnedNow.get();
                    return pinned != null ? pinned : Instant.now();
                }
            };
            HealthRegistry.Builder b = HealthRegistry.builder()
                    .clock(clock)
                    .license(license::get)
                    .licenseCacheTtl(Duration.ZERO)
                    .startupChecksMarkStarted(false);
            config.accept(b);
            registry = b.build();
            CheckPolicy uncached = CheckPolicy.builder()
                    .cacheTtl(Duration.ZERO)
                    .timeout(Duration.ofSeconds(3))
                    .build();
            registry.register(
                    "db",
                    HealthCheck.of(CheckKind.DATASTORE, db::get),
                    uncached.toBuilder().groups("core").build());
            registry.register(
                    "cache",
                    HealthCheck.of(CheckKind.DATASTORE, cache::get),
                    uncached.toBuilder().optional().build());
            registry.register(
                    "alive",
                    alive::get,
                    uncached.toBuilder().probes(Probe.LIVENESS).build());
        }

        void reset() {
            db.set(CheckResult.up().withData("product", "PostgreSQL"));
            cache.set(CheckResult.up());
            alive.set(CheckResult.up());
            license.set(LicenseState.of(LicenseValidity.VALID)
                    .withLicensee("Acme")
                    .withExpires(Instant.parse("2999-01-01T00:00:00Z")));
            clockBroken.set(false);
            pinnedNow.set(null);
        }
    }

    private World world;
    private Served shared;
    private final List<TaskLock> locks = new ArrayList<>();

    private static HealthHandler handler(World w, DetailsPolicy details, StatusPolicy statusPolicy) {
        return handler(w, details, statusPolicy, b -> {});
    }

    /**
     * The suite's handler: base {@code /health}, version prefixes {@code R4} and {@code STU3}, and the path aliases
     * runbooks name ({@code /ready}, {@code /api/health/ready} for readiness).
     */
    private static HealthHandler handler(
            World w, DetailsPolicy details, StatusPolicy statusPolicy, Consumer<HealthHandler.Builder> more) {
        HealthHandler.Builder b = HealthHandler.builder(w.registry)
                .basePath("/health")
                .versionPrefixes("R4", "STU3")
                .details(details)
                .statusPolicy(statusPolicy)
                .pathAlias("/ready", Scope.of(Probe.READINESS))
                .pathAlias("/api/health/ready", Scope.of(Probe.READINESS));
        more.accept(b);
        return b.build();
    }

    @BeforeAll
    void startShared() throws Exception {
        world = new World(b -> {});
        world.registry.markStarted();
        shared = serve(handler(world, DetailsPolicy.WHEN_AUTHORIZED, StatusPolicy.defaults()), TOKEN::equals);
    }

    @AfterAll
    void stopShared() throws Exception {
        shared.close();
        world.registry.close();
    }

    @BeforeEach
    void resetWorld() {
        world.reset();
        locks.forEach(TaskLock::close);
        locks.clear();
    }

    // ---------------------------------------------------------------- plumbing

    /** A response as seen by a client. */
    protected record Answer(int status, java.net.http.HttpHeaders headers, String body) {
        @Nullable
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    protected Answer send(
            Served on, String method, String rawPathAndQuery, @Nullable String accept, @Nullable String authorization)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(on.base() + rawPathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers(), r.body());
    }

    /**
     * Sends a request exactly as written (for targets a URI class would refuse, e.g. {@code %zz}).
     */
    protected Answer raw(Served on, String method, String target) throws Exception {
        try (java.net.Socket s =
                new java.net.Socket(on.base().getHost(), on.base().getPort())) {
            s.setSoTimeout(20_000);
            String req = method + " " + target + " HTTP/1.1\r\nHost: "
                    + on.base().getHost() + ":" + on.base().getPort() + "\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(req.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            String all = new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            String[] head = all.substring(0, end).split("\r\n", -1);
            java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < head.length; i++) {
                int c = head[i].indexOf(':');
                headers.computeIfAbsent(head[i].substring(0, c).trim(), k -> new ArrayList<>())
                        .add(head[i].substring(c + 1).trim());
            }
            String body = all.substring(end + 4);
            if (headers.containsKey("Transfer-Encoding")) {
                body = dechunk(body);
            }
            return new Answer(
                    Integer.parseInt(head[0].split(" ", -1)[1]),
                    java.net.http.HttpHeaders.of(headers, (a, b) -> true),
                    body);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (true) {
            int nl = chunked.indexOf("\r\n", i);
            int size =
                    Integer.parseInt(chunked.substring(i, nl).split(";", -1)[0].trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, nl + 2, nl + 2 + size);
            i = nl + 2 + size + 2;
        }
    }

    protected Answer get(String path) throws Exception {
        return send(shared, "GET", path, null, null);
    }

    private Answer get(String path, @Nullable String accept) throws Exception {
        return send(shared, "GET", path, accept, null);
    }

    private static void assertOperationOutcome(Answer a, @Nullable String code) {
        assertThat(a.header("Content-Type")).startsWith("application/fhir+json");
        JsonNode oo = a.json();
        assertThat(oo.path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(oo.path("issue")).isNotEmpty();
        if (code != null) {
            assertThat(oo.path("issue").findValuesAsText("code")).contains(code);
        }
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    private <T> @Nullable T withServer(
            Consumer<HealthRegistry.Builder> config, Consumer<World> setup, DetailsPolicy details, ServerBody<T> body)
            throws Exception {
        return withServer(config, setup, details, StatusPolicy.defaults(), body);
    }

    private <T> @Nullable T withServer(
            Consumer<HealthRegistry.Builder> config,
            Consumer<World> setup,
            DetailsPolicy details,
            StatusPolicy statusPolicy,
            ServerBody<T> body)
            throws Exception {
        return withServer(config, setup, details, statusPolicy, b -> {}, body);
    }

    private <T> @Nullable T withServer(
            Consumer<HealthRegistry.Builder> config,
            Consumer<World> setup,
            DetailsPolicy details,
            StatusPolicy statusPolicy,
            Consumer<HealthHandler.Builder> handlerConfig,
            ServerBody<T> body)
            throws Exception {
        World w = new World(config);
        setup.accept(w);
        try (Served s = serve(handler(w, details, statusPolicy, handlerConfig), TOKEN::equals)) {
            return body.run(s, w);
        } finally {
            w.registry.close();
        }
    }

    @FunctionalInterface
    private interface ServerBody<T> {
        @Nullable
        T run(Served served, World world) throws Exception;
    }

    // ---------------------------------------------------------------- paths x Accept

    static Stream<Arguments> pathsAndMediaTypes() {
        List<String> paths = List.of(
                "/health",
                "/health/",
                "/health/live",
                "/health/ready",
                "/health/started",
                "/health/group/core",
                "/livez",
                "/readyz",
                "/healthz",
                "/$liveness",
                "/$readiness",
                "/%24readiness",
                "/R4/$liveness",
                "/R4/$readiness",
                "/STU3/health/ready",
                "/R4/livez",
                "/ready",
                "/api/health/ready",
                "/R4/ready");
        List<String[]> types = List.of(
                new String[] {null, "application/json"},
                new String[] {"application/json", "application/json"},
                new String[] {"application/fhir+json", "application/fhir+json"},
                new String[] {"application/health+json", "application/health+json"},
                new String[] {"text/plain", "text/plain"},
                new String[] {"*/*", "application/json"},
                new String[] {"text/html, application/xhtml+xml;q=0.9, */*;q=0.8", "text/html"},
                new String[] {"text/html", "text/html"},
                new String[] {"*/*, text/html", "application/json"},
                new String[] {"text/html;q=0.5, application/json", "application/json"});
        List<Arguments> out = new ArrayList<>();
        for (String p : paths) {
            for (String[] t : types) {
                out.add(Arguments.of(p, t[0], t[1]));
            }
        }
        return out.stream();
    }

    /**
     * Whether the transport stamps {@code Date} from the registry's clock (the JDK server does); containers that
     * stamp it from their own clock are checked for the format only.
     *
     * @return {@code false} unless overridden
     */
    protected boolean datesFromRegistryClock() {
        return false;
    }

    /** An IMF-fixdate (RFC 9110 §5.6.7): the day always has two digits. */
    private static final String IMF_FIXDATE =
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} "
                    + "\\d{2}:\\d{2}:\\d{2} GMT";

    @Test
    void dateIsAnImfFixdateOnTheFirstDaysOfAMonth() throws Exception {
        world.pinnedNow.set(Instant.parse("2026-12-06T09:05:03Z"));
        Answer a = get("/health/live", "application/json");
        String date = a.header("Date");
        if (date != null || datesFromRegistryClock()) {
            assertThat(date).matches(IMF_FIXDATE);
        }
        if (datesFromRegistryClock()) {
            assertThat(date).isEqualTo("Sun, 06 Dec 2026 09:05:03 GMT");
        }
    }

    @ParameterizedTest(name = "GET {0} Accept {1}")
    @MethodSource("pathsAndMediaTypes")
    void everyPathAnswersInEveryRepresentation(String path, String accept, String expectedType) throws Exception {
        Answer a = get(path, accept);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith(expectedType);
        assertThat(a.header("Cache-Control")).isEqualTo("no-store");
        assertThat(a.header("Content-Length"))
                .isEqualTo(Integer.toString(a.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
        switch (expectedType) {
            case "application/json" -> {
                assertThat(a.json().path("status").asText()).isEqualTo("UP");
                assertThat(a.json().path("outcome").asText()).isEqualTo("UP");
            }
            case "application/fhir+json" ->
                assertThat(a.json().path("issue").get(0).path("code").asText()).isEqualTo("informational");
            case "application/health+json" ->
                assertThat(a.json().path("status").asText()).isEqualTo("pass");
            case "text/html" -> assertStatusPage(a, "UP");
            default -> assertThat(a.body()).endsWith("check passed\n");
        }
        if (!expectedType.equals("text/html")) {
            assertThat(a.header("Content-Security-Policy"))
                    .as("only the page carries its policy")
                    .isNull();
        }
    }

    private static void assertStatusPage(Answer a, String outcome) {
        assertThat(a.header("Content-Type")).isEqualToIgnoringCase("text/html;charset=UTF-8");
        assertThat(a.header("Content-Security-Policy"))
                .startsWith("default-src 'none';")
                .contains("frame-ancestors 'none'")
                .doesNotContain("script-src");
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.body())
                .startsWith("<!DOCTYPE html>")
                .endsWith("</html>\n")
                .contains("<span class=\"s " + outcome.toLowerCase(java.util.Locale.ROOT) + "\">" + outcome
                        + "</span></h1>")
                .doesNotContain("<script", "href=\"/", "href=\"http", SECRET);
    }

    @ParameterizedTest(name = "HEAD {0} as a browser")
    @ValueSource(strings = {"/health", "/health/ready", "/readyz", "/R4/$readiness"})
    void theStatusPageAnswersHeadWithItsHeadersAndNoBody(String path) throws Exception {
        String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        world.db.set(CheckResult.down("connection refused, password=" + SECRET));
        Answer g = send(shared, "GET", path, browser, TOKEN);
        Answer h = send(shared, "HEAD", path, browser, TOKEN);
        assertThat(g.status()).isEqualTo(503);
        assertStatusPage(g, "DOWN");
        assertThat(g.body()).contains("connection refused").as("details for the authorized caller");
        assertThat(h.status()).isEqualTo(503);
        assertThat(h.body()).isEmpty();
        assertThat(h.header("Content-Type")).isEqualTo(g.header("Content-Type"));
        assertThat(h.header("Content-Security-Policy")).isEqualTo(g.header("Content-Security-Policy"));
        assertThat(Integer.parseInt(h.header("Content-Length"))).isGreaterThan(1000);
        Answer anonymous = send(shared, "GET", path, browser, null);
        assertThat(anonymous.body()).doesNotContain("connection refused").contains(">db<", ">DOWN<");
    }

    @Test
    void theStatusPageListsLocksAndLinksRelativelyUnderAVersionPrefix() throws Exception {
        locks.add(world.registry.lock("schema-migration", "Migrating to v42", Duration.ofMinutes(5)));
        Answer a = get("/R4/$readiness", "text/html");
        assertThat(a.status()).isEqualTo(423);
        assertStatusPage(a, "LOCKED");
        assertThat(a.body())
                .contains(
                        "schema-migration",
                        "5 min 00 s",
                        "href=\"health/live\"",
                        "href=\"health/started\"",
                        "href=\"health\"")
                .doesNotContain("Migrating to v42");
    }

    @ParameterizedTest(name = "HEAD {0}")
    @ValueSource(strings = {"/health", "/health/ready", "/livez", "/$readiness", "/nope", "/health?verbose=bad"})
    void headHasTheStatusAndHeadersOfGetButNoBody(String path) throws Exception {
        world.db.set(CheckResult.down("connection refused"));
        Answer g = get(path);
        Answer h = send(shared, "HEAD", path, null, null);
        assertThat(h.status()).isEqualTo(g.status());
        assertThat(h.body()).isEmpty();
        assertThat(h.header("Content-Type")).isEqualTo(g.header("Content-Type"));
        if (!ownsPath(path)) {
            return; // the application's own answer
        }
        assertThat(h.header("Cache-Control")).isEqualTo("no-store");
        // the checks are uncached, so "durationMs" may differ by a digit between two evaluations: retry until a
        // GET and the HEAD right after it took equally long
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .untilAsserted(
                        () -> assertThat(send(shared, "HEAD", path, null, null).header("Content-Length"))
                                .isEqualTo(get(path).header("Content-Length")));
    }

    // ---------------------------------------------------------------- outcome table

    @Test
    void allUpAnswers200WithAnInformationalOutcome() throws Exception {
        Answer a = get("/health/ready");
        assertThat(a.status()).isEqualTo(200);
        JsonNode j = a.json();
        assertThat(j.path("checks").findValuesAsText("name")).containsExactly("db", "cache");
        assertThat(j.path("operationOutcome")
                        .path("issue")
                        .get(0)
                        .path("severity")
                        .asText())
                .isEqualTo("information");
        assertThat(j.path("checks").get(0).has("data"))
                .as("details hidden from anonymous callers")
                .isFalse();
    }

    @Test
    void pathAliasesAnswerAsTheProbeTheyName() throws Exception {
        world.db.set(CheckResult.down("connection refused"));
        for (String alias : List.of("/ready", "/api/health/ready", "/R4/ready")) {
            Answer a = get(alias);
            assertThat(a.status()).as(alias).isEqualTo(503);
            assertThat(a.json().path("outcome").asText()).as(alias).isEqualTo("DOWN");
            assertThat(a.json().path("checks").findValuesAsText("name"))
                    .as(alias)
                    .containsExactly("db", "cache");
        }
        assertThat(get("/ready/more").status()).isBetween(400, 499);
        world.reset();
        assertThat(get("/ready").status()).isEqualTo(200);
    }

    @Test
    void theStatusWordRepresentationSaysHealthyDegradedOrUnhealthyWithTheUsualStatuses() throws Exception {
        withServer(
                b -> {},
                w -> w.registry.markStarted(),
                DetailsPolicy.NEVER,
                StatusPolicy.defaults(),
                b -> b.jsonFormat(HealthHandler.JsonFormat.STATUS_WORD),
                (s, w) -> {
                    Answer up = send(s, "GET", "/ready", "application/json", null);
                    assertThat(up.status()).isEqualTo(200);
                    assertThat(up.header("Content-Type")).startsWith("application/json");
                    assertThat(up.json().path("status").asText()).isEqualTo("healthy");
                    assertThat(up.json()
                                    .path("checks")
                                    .path("db")
                                    .path("status")
                                    .asText())
                            .isEqualTo("healthy");
                    w.cache.set(CheckResult.down("redis unreachable"));
                    Answer degraded = send(s, "GET", "/health/ready", null, null);
                    assertThat(degraded.status()).isEqualTo(200);
                    assertThat(degraded.json().path("status").asText()).isEqualTo("degraded");
                    assertThat(degraded.json()
                                    .path("checks")
                                    .path("cache")
                                    .path("status")
                                    .asText())
                            .isEqualTo("unhealthy");
                    w.db.set(CheckResult.down("connection refused, password=" + SECRET));
                    Answer down = send(s, "GET", "/health/ready", null, null);
                    assertThat(down.status()).isEqualTo(503);
                    assertThat(down.json().path("status").asText()).isEqualTo("unhealthy");
                    assertThat(down.body()).doesNotContain(SECRET).doesNotContain("connection refused");
                    assertThat(send(s, "GET", "/health/ready", "application/health+json", null)
                                    .json()
                                    .path("status")
                                    .asText())
                            .as("other representations unchanged")
                            .isEqualTo("fail");
                    return null;
                });
    }

    @Test
    void optionalCheckDownIsDegradedButStill200() throws Exception {
        world.cache.set(CheckResult.down("redis unreachable"));
        Answer a = get("/health/ready");
        assertThat(a.status()).isEqualTo(200);
        JsonNode j = a.json();
        assertThat(j.path("status").asText()).isEqualTo("UP");
        assertThat(j.path("outcome").asText()).isEqualTo("DEGRADED");
        JsonNode cache = j.path("checks").get(1);
        assertThat(cache.path("status").asText()).isEqualTo("DOWN");
        assertThat(cache.path("critical").asBoolean()).isFalse();
        JsonNode issue = j.path("operationOutcome").path("issue").get(0);
        assertThat(issue.path("severity").asText()).isEqualTo("warning");
        assertThat(issue.path("code").asText()).isEqualTo("no-store");
        assertThat(get("/health/ready", "application/health+json")
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("warn");
    }

    @Test
    void degradedCheckIsUpWithDegradedFlag() throws Exception {
        world.db.set(CheckResult.degraded("pool 95% used"));
        Answer a = get("/health/ready");
        assertThat(a.status()).isEqualTo(200);
        JsonNode db = a.json().path("checks").get(0);
        assertThat(db.path("status").asText()).isEqualTo("UP");
        assertThat(db.path("degraded").asBoolean()).isTrue();
        assertThat(a.json().path("outcome").asText()).isEqualTo("DEGRADED");
    }

    @Test
    void requiredCheckDownIs503OnReadinessWhileLivenessStays200() throws Exception {
        world.db.set(CheckResult.down("connection refused"));
        Answer ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
        assertThat(ready.json().path("outcome").asText()).isEqualTo("DOWN");
        assertThat(ready.json()
                        .path("operationOutcome")
                        .path("issue")
                        .get(0)
                        .path("code")
                        .asText())
                .isEqualTo("no-store");
        assertThat(ready.json()
                        .path("operationOutcome")
                        .path("issue")
                        .get(0)
                        .path("expression")
                        .get(0)
                        .asText())
                .isEqualTo("db");
        assertThat(get("/readyz").status()).isEqualTo(503);
        assertThat(get("/$readiness").status()).isEqualTo(503);
        assertThat(get("/health").status()).isEqualTo(503);
        assertThat(get("/health/group/core").status()).isEqualTo(503);
        assertThat(get("/health/live").status()).isEqualTo(200);
        assertThat(get("/livez").status()).isEqualTo(200);
        assertThat(get("/$liveness").status()).isEqualTo(200);
        Answer fhir = get("/health/ready", "application/fhir+json");
        assertThat(fhir.status()).isEqualTo(503);
        assertOperationOutcome(fhir, "no-store");
        assertThat(get("/health/ready", "application/health+json")
                        .json()
                        .path("status")
                        .asText())
                .isEqualTo("fail");
        assertThat(get("/health/ready", "text/plain").body())
                .contains("[-]db failed: reason withheld")
                .contains("[+]cache ok")
                .endsWith("readiness check failed: DOWN\n");
    }

    @Test
    void requiredLivenessCheckDownIs503OnLiveness() throws Exception {
        world.alive.set(CheckResult.down("event loop stuck"));
        assertThat(get("/health/live").status()).isEqualTo(503);
        assertThat(get("/livez").status()).isEqualTo(503);
        assertThat(get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    void checkThatThrowsIsDownWithExceptionCodeAndNoStackTrace() throws Exception {
        world.db.set(null); // the check returns null
        Answer a = get("/health/ready", "application/fhir+json");
        assertThat(a.status()).isEqualTo(503);
        assertOperationOutcome(a, "exception");
    }

    @Test
    void lockedReadinessIs423WithRetryAfterWhileLivenessAndStartupStay200() throws Exception {
        locks.add(world.registry.lock("schema-migration", "Migrating schema to v42", Duration.ofMinutes(5)));
        Answer ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(423);
        assertThat(ready.json().path("outcome").asText()).isEqualTo("LOCKED");
        assertThat(ready.json().path("locks").get(0).path("name").asText()).isEqualTo("schema-migration");
        assertThat(ready.json().path("locks").get(0).has("description")).isFalse();
        assertThat(Integer.parseInt(ready.header("Retry-After"))).isBetween(1, 300);
        Answer fhir = get("/readyz", "application/fhir+json");
        assertThat(fhir.status()).isEqualTo(423);
        assertOperationOutcome(fhir, "lock-error");
        assertThat(get("/$readiness").status()).isEqualTo(423);
        assertThat(get("/health/live").status()).isEqualTo(200);
        assertThat(get("/health/started").status()).isEqualTo(200);
        locks.remove(0).close();
        assertThat(get("/health/ready").status()).isEqualTo(200);
    }

    @Test
    void lockWithoutExpectedDurationHasNoRetryAfter() throws Exception {
        locks.add(world.registry.lock("import", "Importing"));
        Answer a = get("/health/ready");
        assertThat(a.status()).isEqualTo(423);
        assertThat(a.header("Retry-After")).isNull();
    }

    @ParameterizedTest(name = "{0} license")
    @ValueSource(strings = {"EXPIRED", "INVALID"})
    void expiredOrInvalidLicenseIs402OnEveryProbe(String state) throws Exception {
        world.license.set(LicenseState.of(LicenseValidity.valueOf(state))
                .withLicensee("Acme")
                .withExpires(Instant.parse("2020-01-01T00:00:00Z"))
                .withMessage("license expired"));
        for (String p :
                List.of("/health/live", "/health/ready", "/health/started", "/health", "/livez", "/$liveness")) {
            assertThat(get(p).status()).as(p).isEqualTo(402);
        }
        Answer fhir = get("/health/ready", "application/fhir+json");
        assertOperationOutcome(fhir, "business-rule");
        assertThat(fhir.json().path("issue").get(0).path("severity").asText()).isEqualTo("fatal");
        assertThat(get("/health/ready").json().path("license").path("status").asText())
                .isEqualTo(state);
    }

    @Test
    void licensePrecedesLocksAndDownChecks() throws Exception {
        world.license.set(LicenseState.invalid("signature does not match"));
        world.db.set(CheckResult.down("refused"));
        locks.add(world.registry.lock("migration", "m"));
        assertThat(get("/health/ready").status()).isEqualTo(402);
        world.license.set(LicenseState.of(LicenseValidity.VALID).withLicensee("Acme"));
        assertThat(get("/health/ready").status()).isEqualTo(423);
        locks.remove(0).close();
        assertThat(get("/health/ready").status()).isEqualTo(503);
    }

    @Test
    void expiringLicenseWarnsButAnswers200() throws Exception {
        world.license.set(LicenseState.of(LicenseValidity.EXPIRING)
                .withLicensee("Acme")
                .withExpires(Instant.now().plus(Duration.ofDays(3)))
                .withMessage("license expires soon"));
        Answer a = get("/health/ready");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("outcome").asText()).isEqualTo("DEGRADED");
        assertThat(a.json()
                        .path("operationOutcome")
                        .path("issue")
                        .get(0)
                        .path("code")
                        .asText())
                .isEqualTo("business-rule");
    }

    @Test
    void invalidLicenseSparesLivenessWhenConfigured() throws Exception {
        withServer(
                b -> b.licenseFailsLiveness(false),
                w -> {
                    w.registry.markStarted();
                    w.license.set(LicenseState.invalid("tampered"));
                },
                DetailsPolicy.NEVER,
                (s, w) -> {
                    assertThat(send(s, "GET", "/health/live", null, null).status())
                            .isEqualTo(200);
                    assertThat(send(s, "GET", "/health/ready", null, null).status())
                            .isEqualTo(402);
                    return null;
                });
    }

    @Test
    void notStartedIs503OnReadinessAndStartupButLivenessIs200() throws Exception {
        withServer(b -> {}, w -> {}, DetailsPolicy.NEVER, (s, w) -> {
            assertThat(send(s, "GET", "/health/started", null, null).status()).isEqualTo(503);
            Answer ready = send(s, "GET", "/health/ready", "application/fhir+json", null);
            assertThat(ready.status()).isEqualTo(503);
            assertOperationOutcome(ready, "transient");
            assertThat(send(s, "GET", "/health/live", null, null).status()).isEqualTo(200);
            w.registry.markStarted();
            assertThat(send(s, "GET", "/health/started", null, null).status()).isEqualTo(200);
            assertThat(send(s, "GET", "/health/ready", null, null).status()).isEqualTo(200);
            return null;
        });
    }

    @Test
    void drainingIs503OnReadinessOnly() throws Exception {
        withServer(
                b -> {},
                w -> {
                    w.registry.markStarted();
                    w.registry.startDraining();
                },
                DetailsPolicy.NEVER,
                (s, w) -> {
                    assertThat(send(s, "GET", "/health/ready", null, null).status())
                            .isEqualTo(503);
                    assertThat(send(s, "GET", "/health/live", null, null).status())
                            .isEqualTo(200);
                    assertThat(send(s, "GET", "/health/started", null, null).status())
                            .isEqualTo(200);
                    assertThat(send(s, "GET", "/health/ready", "text/plain", null)
                                    .body())
                            .contains("draining");
                    return null;
                });
    }

    @Test
    void failingMachineryIs500WithOperationOutcomeAndNoSecret() throws Exception {
        world.clockBroken.set(true);
        Answer a = get("/health/ready");
        assertThat(a.status()).isEqualTo(500);
        assertOperationOutcome(a, "exception");
        assertThat(a.body()).doesNotContain(SECRET);
        world.clockBroken.set(false);
        assertThat(get("/health/ready").status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- methods, paths, parameters

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "TRACE", "BREW"})
    void otherMethodsAre405WithAllow(String method) throws Exception {
        Answer a = raw(shared, method, "/health/ready");
        assertThat(a.status()).isEqualTo(405);
        if ("TRACE".equals(method) && !passesTrace()) {
            assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ");
            return;
        }
        assertThat(a.header("Allow")).contains("GET").contains("HEAD");
        assertThat(a.header("Cache-Control")).isEqualTo("no-store");
        assertOperationOutcome(a, "not-supported");
    }

    @Test
    void optionsListsTheAllowedMethods() throws Exception {
        Answer a = send(shared, "OPTIONS", "/health/ready", null, null);
        assertThat(a.status()).isIn(200, 204);
        assertThat(a.header("Allow")).contains("GET").contains("HEAD");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "/nope",
                "/health/nope",
                "/health/ready/extra",
                "/health/group/unknown",
                "/health/group/",
                "/R5/$liveness",
                "/healthcheck",
                "/health/..%2f..%2fetc%2fpasswd",
                "/health/%2e%2e/%2e%2e/etc/passwd",
                "/health/ready%00",
                "/%C3%A9t%C3%A9"
            })
    void unknownOrTraversingPathsAre4xxWithOperationOutcome(String path) throws Exception {
        Answer a = get(path);
        assertThat(a.status()).isBetween(400, 499);
        if ((!passesUnsafePaths() && (path.contains("%2e%2e") || path.contains("%00")))
                || (!passesEncodedSlashes() && path.contains("%2f"))
                || !ownsPath(path)) {
            assertThat(a.body()).doesNotContain("Exception").doesNotContain("\tat ");
            return;
        }
        assertOperationOutcome(a, null);
        assertThat(a.header("Cache-Control")).isEqualTo("no-store");
    }

    /**
     * Whether the transport hands paths with encoded dot segments that climb above the root or an encoded NUL to
     * the handler. Servlet containers (Jetty 12, Tomcat 11) refuse them in the connector with their own 400 page
     * before any application code runs, whatever the URI compliance settings; the answer must still be a 4xx
     * without a stack trace.
     *
     * @return {@code true} unless overridden
     */
    protected boolean passesUnsafePaths() {
        return true;
    }

    /**
     * Whether the transport hands paths with an encoded slash ({@code %2F}) to the handler. A mount inside an
     * application keeps the application's server settings, and Spring Boot's Tomcat and Jetty refuse them in the
     * connector by default; the answer must still be a 4xx without a stack trace.
     *
     * @return {@code true} unless overridden
     */
    protected boolean passesEncodedSlashes() {
        return true;
    }

    /**
     * Whether the transport hands {@code TRACE} to the handler. Tomcat answers it with its own 405 unless the
     * connector allows it, which Spring Boot's Tomcat does not by default.
     *
     * @return {@code true} unless overridden
     */
    protected boolean passesTrace() {
        return true;
    }

    /**
     * Whether every path of the server reaches the handler, as on the suite's own servers. A mount inside an
     * application (the Spring Boot starter) serves the base path, the mount-root aliases and the version prefixes;
     * every other path is the application's, whose own 404 the suite checks only for being a 4xx.
     *
     * @return {@code true} unless overridden
     */
    protected boolean servesEveryPath() {
        return true;
    }

    private boolean ownsPath(String path) {
        if (servesEveryPath()) {
            return true;
        }
        int q = path.indexOf('?');
        String p = q < 0 ? path : path.substring(0, q);
        return p.equals("/health")
                || p.startsWith("/health/")
                || p.startsWith("/R4/")
                || p.startsWith("/STU3/")
                || List.of("/livez", "/readyz", "/healthz", "/$liveness", "/$readiness")
                        .contains(p);
    }

    /**
     * Whether the transport hands a query with invalid percent-escapes ({@code %zz}) to the handler as sent.
     * Jakarta REST runtimes (Jersey) re-encode an invalid escape as a literal percent sign ({@code %25zz}) before
     * any resource or filter sees the request, so the value is taken literally instead of being refused.
     *
     * @return {@code true} unless overridden
     */
    protected boolean keepsInvalidEscapesInQueries() {
        return true;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"?verbose=maybe", "?verbose=yes&exclude=db", "?exclude=", "?exclude", "?exclude=%00"})
    void malformedValuesOfKnownParametersAre400(String query) throws Exception {
        Answer a = raw(shared, "GET", "/health/ready" + query);
        assertThat(a.status()).isEqualTo(400);
        assertOperationOutcome(a, "invalid");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"?exclude=%zz", "?verbose=%", "?exclude=%C3%28"})
    void invalidPercentEscapesAre400(String query) throws Exception {
        Answer a = raw(shared, "GET", "/health/ready" + query);
        if (!keepsInvalidEscapesInQueries() && query.equals("?exclude=%zz")) {
            assertThat(a.status()).isEqualTo(200); // excludes a check literally named "%zz"
            return;
        }
        assertThat(a.status()).isEqualTo(400);
        assertOperationOutcome(a, "invalid");
    }

    @Test
    void unknownParametersAreIgnored() throws Exception {
        assertThat(raw(shared, "GET", "/health/ready?_=1700000000&cachebuster&x=%C3%28")
                        .status())
                .isEqualTo(200);
        assertThat(raw(shared, "GET", "/health/ready?x=%zz").status()).isEqualTo(200);
    }

    @Test
    void excludeLeavesNamedChecksOut() throws Exception {
        world.db.set(CheckResult.down("refused"));
        Answer a = get("/health/ready?exclude=db&exclude=nonexistent");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.json().path("checks").findValuesAsText("name")).containsExactly("cache");
    }

    @Test
    void verboseGivesKubernetesStyleLines() throws Exception {
        world.cache.set(CheckResult.down("timeout"));
        Answer a = get("/readyz?verbose");
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).startsWith("text/plain");
        // a line that is not ok says since when (the time of day, or a date and time) and the failures in a row
        assertThat(a.body())
                .matches("\\[\\+]db ok\n\\[-]cache failed \\(optional\\): reason withheld \\(since"
                        + " [0-9TZ:-]+, [0-9]+ failures?\\)\n\\[\\+]license valid \\(expires 2999-01-01T00:00:00Z\\)\n"
                        + "readiness check passed \\(DEGRADED\\)\n");
        assertThat(get("/readyz?verbose=false").header("Content-Type")).startsWith("application/json");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"application/json;q=abc", "@@@", "application", "text/plain;q=2", "application/json;;"})
    void malformedAcceptIs400(String accept) throws Exception {
        Answer a = get("/health/ready", accept);
        assertThat(a.status()).isEqualTo(400);
        assertOperationOutcome(a, "invalid");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "application/xml",
                "application/xhtml+xml",
                "image/png, text/html;q=0",
                "text/csv;q=1, application/yaml"
            })
    void unavailableMediaTypeIs406(String accept) throws Exception {
        Answer a = get("/health/ready", accept);
        assertThat(a.status()).isEqualTo(406);
        assertOperationOutcome(a, "not-supported");
        assertThat(a.header("Content-Security-Policy")).isNull();
    }

    @Test
    void acceptQualityValuesAreHonoured() throws Exception {
        Answer a = get("/health/ready", "application/json;q=0.5, text/plain;q=0.9");
        assertThat(a.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void veryLongPathsAndQueriesAre4xx() throws Exception {
        Answer longPath = get("/health/" + "a".repeat(3000));
        assertThat(longPath.status()).isBetween(400, 499);
        Answer longQuery = get("/health/ready?x=" + "b".repeat(6000));
        assertThat(longQuery.status()).isBetween(400, 499);
    }

    // ---------------------------------------------------------------- request-level edge cases (raw sockets)

    /**
     * How many requests the transport serves on one kept-alive connection before it closes it (announced with
     * {@code Connection: close}); 0 for no limit. Tomcat closes after {@code maxKeepAliveRequests} (100).
     *
     * @return 0 unless overridden
     */
    protected int maxRequestsPerConnection() {
        return 0;
    }

    private RawHttp connect() {
        return RawHttp.connect(shared.base(), Duration.ofSeconds(20));
    }

    private String host() {
        return "Host: " + shared.base().getHost() + ":" + shared.base().getPort() + "\r\n";
    }

    private static void cleanAnswer(RawHttp.Response r, int expectedIfAnswered) {
        if (r.status() >= 400 && r.status() < 500) {
            assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
        } else {
            assertThat(r.status()).isEqualTo(expectedIfAnswered);
        }
    }

    @Test
    void http10RequestWithoutHostIsAnswered() {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /health/live HTTP/1.0\r\n\r\n").read(false);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).contains("UP");
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (RawHttp c = connect()) {
            c.send("GET /health/live HTTP/1.1\r\n" + host() + "\r\n"
                    + "HEAD /health/ready HTTP/1.1\r\n" + host() + "\r\n"
                    + "GET /health/nope HTTP/1.1\r\n" + host() + "Accept: application/fhir+json\r\n\r\n"
                    + "GET /health/started HTTP/1.1\r\n" + host() + "Accept: text/plain\r\nConnection: close\r\n\r\n");
            RawHttp.Response live = c.read(false);
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.header("Content-Type")).startsWith("application/json");
            RawHttp.Response head = c.read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            RawHttp.Response nope = c.read(false);
            assertThat(nope.status()).isEqualTo(404);
            assertThat(nope.text()).contains("OperationOutcome");
            RawHttp.Response started = c.read(false);
            assertThat(started.status()).isEqualTo(200);
            assertThat(started.text()).endsWith("check passed\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void expectContinueOnAGetIsAnswered() {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /health/live HTTP/1.1\r\n" + host()
                            + "Expect: 100-continue\r\nConnection: close\r\n\r\n")
                    .read(false);
            cleanAnswer(r, 200);
        }
    }

    @Test
    void aGetWithBothContentLengthAndTransferEncodingIsRefusedOrAnsweredAndNeverHangs() {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET /health/live HTTP/1.1\r\n" + host()
                            + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                    .read(false);
            cleanAnswer(r, 200);
            if (r.status() >= 400) {
                // a request whose framing is in doubt must not be followed by another on the same connection
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void anAbsoluteFormTargetIsAnswered() {
        try (RawHttp c = connect()) {
            RawHttp.Response r = c.send("GET http://" + shared.base().getHost() + ":"
                            + shared.base().getPort() + "/health/live HTTP/1.1\r\n" + host()
                            + "Connection: close\r\n\r\n")
                    .read(false);
            cleanAnswer(r, 200);
            if (r.status() == 200) {
                assertThat(r.text()).contains("UP");
            }
        }
    }

    @Test
    void tenThousandRequestsOverOneKeptAliveConnectionAreAllAnswered() {
        int closes = 0;
        RawHttp c = connect();
        try {
            String request = "GET /health/live HTTP/1.1\r\n" + host() + "\r\n";
            for (int i = 0; i < 10_000; i++) {
                RawHttp.Response r = c.send(request).read(false);
                assertThat(r.status()).as("request %d", i).isEqualTo(200);
                if (r.closes()) {
                    closes++;
                    c.close();
                    c = connect();
                }
            }
        } finally {
            c.close();
        }
        int limit = maxRequestsPerConnection();
        assertThat(closes)
                .as("connections the server closed (announced)")
                .isLessThanOrEqualTo(limit == 0 ? 0 : 10_000 / limit);
    }

    // ---------------------------------------------------------------- status policy

    @Test
    void theHandlersStatusPolicyDecidesStatusAndHeadersOnTheWire() throws Exception {
        Consumer<World> degraded = w -> {
            w.registry.markStarted();
            w.cache.set(CheckResult.down("evicted"));
        };
        withServer(b -> {}, degraded, DetailsPolicy.NEVER, StatusPolicy.consul(), (s, w) -> {
            Answer ready = send(s, "GET", "/health/ready", null, null);
            assertThat(ready.status()).as("Consul's warning").isEqualTo(429);
            assertThat(ready.json().path("outcome").asText()).isEqualTo(Outcome.DEGRADED.name());
            assertThat(ready.header("Cache-Control")).isEqualTo("no-store");
            assertThat(send(s, "HEAD", "/health/ready", null, null).status()).isEqualTo(429);
            w.cache.set(CheckResult.up());
            assertThat(send(s, "GET", "/health/ready", null, null).status()).isEqualTo(200);
            return null;
        });
        withServer(b -> {}, degraded, DetailsPolicy.NEVER, StatusPolicy.envoy(), (s, w) -> {
            Answer ready = send(s, "GET", "/health/ready", null, null);
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.header("x-envoy-degraded")).isEqualTo("true");
            assertThat(send(s, "HEAD", "/health/ready", null, null).header("x-envoy-degraded"))
                    .isEqualTo("true");
            w.cache.set(CheckResult.up());
            assertThat(send(s, "GET", "/health/ready", null, null).header("x-envoy-degraded"))
                    .isNull();
            return null;
        });
    }

    @Test
    void theDefaultPolicyAddsNoPresetHeaders() throws Exception {
        world.cache.set(CheckResult.down("evicted"));
        Answer ready = get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.header("x-envoy-degraded")).isNull();
    }

    // ---------------------------------------------------------------- operator control

    @Test
    void anAuthorizedOperatorTakesTheInstanceOutOfServiceAndBack() throws Exception {
        World w = new World(b -> {});
        w.registry.markStarted();
        try (Served s = serve(
                HealthHandler.builder(w.registry)
                        .basePath("/health")
                        .details(DetailsPolicy.NEVER)
                        .statusPolicy(StatusPolicy.envoy())
                        .operatorControl(true)
                        .build(),
                TOKEN::equals)) {
            Answer out = send(s, "POST", "/health/out-of-service?reason=INC-42%20disk%20check&by=alice", null, TOKEN);
            assertThat(out.status()).as(out.body()).isEqualTo(200);
            assertThat(out.body()).contains("(INC-42 disk check), by alice");

            Answer ready = send(s, "GET", "/health/ready", null, null);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.header("x-envoy-immediate-health-check-fail")).isEqualTo("true");
            assertThat(ready.json().path("outcome").asText()).isEqualTo("DOWN");
            assertThat(ready.body()).contains("Out of service since ", "(INC-42 disk check), by alice");
            assertThat(send(s, "GET", "/health/group/core", null, null).status())
                    .isEqualTo(503);
            Answer live = send(s, "GET", "/health/live", null, null);
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.header("x-envoy-immediate-health-check-fail")).isNull();
            assertThat(send(s, "GET", "/health/ready", "text/html", null).body())
                    .contains("Out of service since ", "(INC-42 disk check)");

            Answer back = send(s, "DELETE", "/health/out-of-service", null, TOKEN);
            assertThat(back.status()).isEqualTo(200);
            assertThat(back.body()).contains("Back in service");
            assertThat(send(s, "GET", "/health/ready", null, null).status()).isEqualTo(200);
        } finally {
            w.registry.close();
        }
    }

    @Test
    void theOperatorControlRefusesAnonymousAndWrongCallersAndOtherMethods() throws Exception {
        World w = new World(b -> {});
        w.registry.markStarted();
        try (Served s = serve(
                HealthHandler.builder(w.registry)
                        .basePath("/health")
                        .operatorControl(true)
                        .build(),
                TOKEN::equals)) {
            Answer anonymous = send(s, "POST", "/health/out-of-service?reason=x", null, null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(anonymous.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
            Answer wrong = send(s, "DELETE", "/health/out-of-service", null, "Bearer wrong");
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.json().path("resourceType").asText()).isEqualTo("OperationOutcome");
            Answer get = send(s, "GET", "/health/out-of-service", null, TOKEN);
            assertThat(get.status()).isEqualTo(405);
            assertThat(get.header("Allow")).isEqualTo("POST, DELETE, OPTIONS");
            Answer noReason = send(s, "POST", "/health/out-of-service", null, TOKEN);
            assertThat(noReason.status()).isEqualTo(400);
            assertThat(noReason.json().path("issue").get(0).path("code").asText())
                    .isEqualTo("required");
            assertThat(w.registry.outOfService()).isEmpty();
            assertThat(send(s, "GET", "/health/ready", null, null).status()).isEqualTo(200);
        } finally {
            w.registry.close();
        }
    }

    // ---------------------------------------------------------------- details and secrets

    @Test
    void anonymousCallersSeeNoDetailsAuthorizedCallersDo() throws Exception {
        String secretUrl = "jdbc:postgresql://app:" + SECRET + "@db:5432/app?password=" + SECRET;
        world.db.set(CheckResult.down("cannot connect to " + secretUrl).withData("url", "db:5432"));
        locks.add(world.registry.lock("reindex", "Reindexing patients"));
        Answer anon = get("/health");
        JsonNode db = anon.json().path("checks").get(0);
        assertThat(db.has("data")).isFalse();
        assertThat(db.has("message")).isFalse();
        assertThat(anon.json().path("locks").get(0).has("description")).isFalse();
        assertThat(anon.body())
                .doesNotContain("Reindexing")
                .doesNotContain("cannot connect")
                .doesNotContain(SECRET);
        assertThat(anon.json().path("checks").findValuesAsText("name")).contains("db", "cache");
        assertThat(anon.json().path("outcome").asText()).isEqualTo("LOCKED");

        Answer admin = send(shared, "GET", "/health", null, TOKEN);
        JsonNode adminDb = admin.json().path("checks").get(0);
        assertThat(adminDb.path("data").path("url").asText()).isEqualTo("db:5432");
        assertThat(adminDb.path("message").asText()).contains("cannot connect");
        assertThat(admin.json().path("locks").get(0).path("description").asText())
                .isEqualTo("Reindexing patients");
        for (String type :
                List.of("application/json", "application/fhir+json", "application/health+json", "text/plain")) {
            assertThat(send(shared, "GET", "/health", type, TOKEN).body())
                    .as(type)
                    .doesNotContain(SECRET);
            assertThat(send(shared, "GET", "/health", type, null).body())
                    .as(type)
                    .doesNotContain(SECRET);
        }
        assertThat(send(shared, "GET", "/health", null, "Bearer wrong").body()).doesNotContain("cannot connect");
    }

    @Test
    void outputIsValidJsonWhateverChecksPutInIt() throws Exception {
        String nasty = "quote\" backslash\\ newline\n tab\t nul\u0000 bell\u0007 é 日本 😀 lone\uD800 " + "</script>"
                + "x".repeat(100_000);
        world.db.set(CheckResult.down(nasty).withData("k\"ey\n", nasty).withData("n", Double.NaN));
        for (String type : List.of("application/json", "application/fhir+json", "application/health+json")) {
            Answer a = send(shared, "GET", "/health/ready", type, TOKEN);
            JsonNode j = a.json();
            assertThat(j.isObject()).as(type).isTrue();
            assertThat(a.body().length()).as(type).isLessThan(20_000);
        }
        Answer text = send(shared, "GET", "/health/ready", "text/plain", TOKEN);
        assertThat(text.body().lines().filter(l -> l.startsWith("[-]db"))).hasSize(1);
    }
}
