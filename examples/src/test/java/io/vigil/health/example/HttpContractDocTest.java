package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.vigil.health.license.tool.LicenseTool;
import io.vigil.health.test.EmbeddedRedis;
import io.vigil.health.test.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes {@code docs/http-contract.md} from real exchanges with the running example, so the documented answers
 * cannot drift from the code. The test fails when the committed file differs from what the code answers today (and
 * rewrites it, for review and commit).
 *
 * <p>Determinism: the health registry runs on a clock the test moves by hand (timestamps, cache expiry,
 * {@code Retry-After} are exact); values measured in real time or read from the machine are replaced by fixed
 * ones, as the generated page says.
 */
class HttpContractDocTest {
    static final Path DOC = Path.of(System.getProperty("basedir", "."), "..", "docs", "http-contract.md")
            .normalize();
    private static final String TOKEN = "doc-admin-token";
    private static final String TMP =
            java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toString();
    private static final Instant START = Instant.parse("2026-01-01T09:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> SHOWN_HEADERS = List.of(
            "Content-Type",
            "Cache-Control",
            "X-Content-Type-Options",
            "Content-Security-Policy",
            "Retry-After",
            "Allow",
            "WWW-Authenticate");

    @TempDir
    Path tmp;

    private final StringBuilder doc = new StringBuilder();
    private final MutableClock clock = new MutableClock(START);
    private int redisPort;
    private int upstreamPort;
    private ExampleService service;

    @Test
    void theHttpContractPageMatchesWhatTheRunningExampleAnswers() throws Exception {
        KeyPair issuer = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Path license = tmp.resolve("license.txt");
        Files.writeString(
                license, LicenseTool.issue(issuer.getPrivate(), "Example Hospital", "2026-12-31", List.of("fhir")));
        AtomicInteger upstreamStatus = new AtomicInteger(200);
        HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.sendResponseHeaders(upstreamStatus.get(), -1);
            exchange.close();
        });
        upstream.start();
        upstreamPort = upstream.getAddress().getPort();
        CountDownLatch migration = new CountDownLatch(1);
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault()) {
            redisPort = redis.port();
            Map<String, String> env = new HashMap<>(Map.of(
                    "VIGIL_HTTP_PORT",
                    "0",
                    "VIGIL_MANAGEMENT_PORT",
                    "0",
                    "VIGIL_DB_URL",
                    "jdbc:h2:mem:contract;DB_CLOSE_DELAY=-1",
                    "VIGIL_DB_USER",
                    "sa",
                    "VIGIL_REDIS_URL",
                    "redis://127.0.0.1:" + redisPort,
                    "VIGIL_UPSTREAM_URL",
                    "http://127.0.0.1:" + upstreamPort + "/health/ready",
                    "VIGIL_ADMIN_TOKEN",
                    TOKEN,
                    "VIGIL_MIGRATION_SECONDS",
                    "5"));
            env.put("VIGIL_LICENSE_FILE", license.toString());
            env.put(
                    "VIGIL_LICENSE_PUBLIC_KEY",
                    Base64.getEncoder().encodeToString(issuer.getPublic().getEncoded()));
            service = ExampleService.start(ExampleConfig.fromEnvironment(env), new Hooks(clock, clock::nanos, d -> {
                if (!migration.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("migration gate never opened");
                }
            }));
            try {
                write(redis, upstreamStatus, migration, license, issuer);
            } finally {
                service.shutdown();
            }
        } finally {
            upstream.stop(0);
        }
        String generated = doc.toString();
        String committed = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        if (!generated.equals(committed)) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertThat(committed)
                .as(DOC + " was out of date with the running example; it has been regenerated:"
                        + " review and commit it")
                .isEqualTo(generated);
    }

    private void write(
            EmbeddedRedis redis, AtomicInteger upstreamStatus, CountDownLatch migration, Path license, KeyPair issuer)
            throws Exception {
        int api = service.httpPort();
        String[] admin = {"Authorization", "Bearer " + TOKEN};
        doc.append(Reference.TEXT);

        section(
                "Start-up: the migration holds a lock",
                "Right after start the simulated schema migration runs under the lock `schema-migration`. Readiness"
                        + " answers 423 with `Retry-After` (the lock's remaining maximum duration), startup 503"
                        + " (not started yet), liveness 200: Kubernetes neither routes traffic to the pod nor"
                        + " restarts it.");
        exchange("GET", api, "/health/ready");
        exchange("GET", api, "/health/started");
        exchange("GET", api, "/health/live");
        migration.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> service.health().isStarted());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> service.dataSource().getHikariPoolMXBean().getTotalConnections() == 2);
        clock.advance(Duration.ofSeconds(5)); // cached results expire

        section(
                "Running: one report, four representations",
                "`application/json` (the default) is the MicroProfile Health shape with Vigil's extensions;"
                        + " `data` and `message` appear only for authorized callers (here: the admin bearer"
                        + " token, as `VIGIL_HEALTH_DETAILS=when-authorized` says).");
        exchange("GET", api, "/health");
        exchange("GET", api, "/health/ready", admin);
        exchange("GET", api, "/health/live");
        exchange("GET", api, "/health/ready", "Accept", "application/fhir+json");
        exchange("GET", api, "/health/ready", "Accept", "application/health+json", admin[0], admin[1]);
        exchange("GET", api, "/readyz?verbose", admin);
        exchange("GET", api, "/livez", "Accept", "text/plain");

        section(
                "Aliases, groups, exclusions, HEAD and OPTIONS",
                "Kubernetes-style and FHIR-operation aliases answer like the probe they name, also under the"
                        + " version prefix `R4`. A group evaluates its members with readiness semantics.");
        exchange("GET", api, "/R4/$readiness");
        exchange("GET", api, "/$liveness", "Accept", "text/plain");
        exchange("GET", api, "/health/group/dependencies");
        exchange("GET", api, "/health/ready?exclude=redis&exclude=upstream");
        exchange("HEAD", api, "/health/ready");
        exchange("HEAD", api, "/health", "Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        exchange("OPTIONS", api, "/health");

        section("Errors", "Every error body is a FHIR OperationOutcome.");
        exchange("POST", api, "/health");
        exchange("GET", api, "/health/unknown");
        exchange("GET", api, "/health/group/nope");
        exchange("GET", api, "/health/ready?verbose=perhaps");
        exchange("GET", api, "/health/ready", "Accept", "image/png");

        section(
                "Metrics",
                "The management port serves Prometheus text. The health meters (durations left out"
                        + " here) read the engine's latest results; a scrape never runs a check.");
        metrics();

        section(
                "A dependency fails",
                "Redis is OPTIONAL: stopped, readiness stays 200 with outcome `DEGRADED`. The upstream is REQUIRED:"
                        + " answering 503, readiness is 503 and the upstream's check is DOWN. Liveness never looks"
                        + " at dependencies.");
        redis.stop();
        clock.advance(Duration.ofSeconds(5));
        exchange("GET", api, "/health/ready", admin);
        redis.start();
        upstreamStatus.set(503);
        clock.advance(Duration.ofSeconds(5));
        exchange("GET", api, "/health/ready", admin);
        exchange("GET", api, "/readyz?verbose", admin);
        exchange("GET", api, "/health/live");
        upstreamStatus.set(200);
        clock.advance(Duration.ofSeconds(5));

        section(
                "Admin task under a lock",
                "`POST /admin/tasks/reindex` needs the bearer token `VIGIL_ADMIN_TOKEN`. While the task runs,"
                        + " readiness answers 423 and names the lock; liveness stays 200.");
        exchange("POST", api, "/admin/tasks/reindex?seconds=120");
        exchange("POST", api, "/admin/tasks/reindex?seconds=120", admin);
        exchange("GET", api, "/health/ready");
        exchange("POST", api, "/admin/tasks/reindex?seconds=120", admin);
        exchange("GET", api, "/admin/tasks/reindex", admin);
        exchange("DELETE", api, "/admin/tasks/reindex", admin);
        clock.advance(Duration.ofSeconds(5));

        section(
                "Out of service",
                "`POST /health/out-of-service?reason=…&by=…` with the bearer token takes the instance out of rotation"
                        + " without stopping it: readiness answers 503 naming the reason, who and since when; liveness"
                        + " stays 200. `DELETE` puts it back. Without the token 401, with a wrong one 403.");
        exchange("POST", api, "/health/out-of-service?reason=INC-42");
        exchange("POST", api, "/health/out-of-service?reason=INC-42", "Authorization", "Bearer wrong");
        exchange("POST", api, "/health/out-of-service?reason=INC-42%20heap%20dump&by=alice", admin);
        exchange("GET", api, "/health/ready", "Accept", "application/fhir+json");
        exchange("GET", api, "/health/live");
        exchange("DELETE", api, "/health/out-of-service", admin);
        exchange("GET", api, "/health/ready");
        clock.advance(Duration.ofSeconds(5));

        section(
                "License expired",
                "The signed license names 2026-12-31. Once the registry's clock passes it, liveness and readiness"
                        + " answer 402 (`VIGIL_LICENSE_FAILS_LIVENESS=true`, the default; the Kubernetes manifests"
                        + " set it to `false`).");
        clock.advance(Duration.between(START, Instant.parse("2027-01-02T09:00:00Z")));
        exchange("GET", api, "/health/live");
        exchange("GET", api, "/health/ready", "Accept", "application/fhir+json");
        Files.writeString(
                license, LicenseTool.issue(issuer.getPrivate(), "Example Hospital", "2028-12-31", List.of("fhir")));
        clock.advance(Duration.ofMinutes(2));

        section(
                "Draining on SIGTERM",
                "The shutdown hook marks the registry draining first: readiness 503 at once, liveness 200, while"
                        + " in-flight requests finish.");
        service.health().startDraining();
        exchange("GET", api, "/health/ready");
        exchange("GET", api, "/health/live");
    }

    private void section(String title, String text) {
        doc.append("\n## ").append(title).append("\n\n").append(text).append("\n");
    }

    private void exchange(String method, int port, String path, String... headers) throws IOException {
        HttpResponse<String> r = Http.send(method, port, path, headers);
        doc.append("\n```http\n").append(method).append(' ').append(path).append(" HTTP/1.1\n");
        for (int i = 0; i < headers.length; i += 2) {
            String value = headers[i].equals("Authorization") ? "Bearer <VIGIL_ADMIN_TOKEN>" : headers[i + 1];
            doc.append(headers[i]).append(": ").append(value).append('\n');
        }
        doc.append("```\n\n```http\nHTTP/1.1 ")
                .append(r.statusCode())
                .append(' ')
                .append(reason(r.statusCode()))
                .append('\n');
        for (String h : SHOWN_HEADERS) {
            r.headers()
                    .firstValue(h)
                    .ifPresent(v -> doc.append(h).append(": ").append(v).append('\n'));
        }
        String body = r.body();
        if (!body.isEmpty()) {
            doc.append('\n')
                    .append(render(body, r.headers().firstValue("Content-Type").orElse("")));
        } else if ("HEAD".equals(method)) {
            doc.append("\n(no body; Content-Length is that of the GET body)\n");
        }
        doc.append("```\n");
    }

    private void metrics() {
        String all = Http.get(service.managementPort(), "/metrics").body();
        String health = all.lines()
                .filter(l -> l.matches("(# (HELP|TYPE) )?health_.*")
                        && !l.contains("health_check_duration")
                        && !l.contains("health_probe_duration"))
                .collect(Collectors.joining("\n"));
        doc.append("\n```http\nGET /metrics HTTP/1.1  (management port)\n```\n\n```text\n")
                .append(health)
                .append("\n```\n\nAlso exported: `health_check_duration_seconds` (timer per check),"
                        + " `health_probe_duration_seconds` (timer per probe), the JVM, thread,"
                        + " class loader, GC, processor, uptime and file descriptor meters of Micrometer"
                        + " (`jvm_*`, `process_*`, `system_*`), the connection pool's `hikaricp_*` and"
                        + " `example_api_requests_active`.\n");
    }

    private String render(String body, String contentType) throws JsonProcessingException {
        if (contentType.contains("json")) {
            JsonNode tree = JSON.readTree(body);
            normalize(tree, null);
            return normalizeText(JSON.writeValueAsString(tree)) + "\n";
        }
        return normalizeText(body) + (body.endsWith("\n") ? "" : "\n");
    }

    /** Replaces values measured in real time or read from the machine by fixed ones (see the page's note). */
    private void normalize(JsonNode node, JsonNode parent) {
        if (node instanceof ObjectNode o && "memory".equals(o.path("name").asText()) && o.has("data")) {
            ObjectNode data = JSON.createObjectNode(); // the pools and sizes of the JVM that ran the test
            data.put("Compressed Class Space percent", 1.0);
            data.put("failAbove", 97.0);
            data.put("heapAfterGcBytes", 52_428_800L);
            data.put("heapAfterGcPercent", 10.0);
            data.put("heapMaxBytes", 524_288_000L);
            data.put("heapUsedBytes", 104_857_600L);
            data.put("warnAbove", 90.0);
            o.set("data", data);
            o.put("message", "heap after GC (max 500 MiB) 10 %");
        }
        if (node instanceof ObjectNode o) {
            List<Map.Entry<String, JsonNode>> entries = new java.util.ArrayList<>(o.properties());
            for (Map.Entry<String, JsonNode> e : entries) {
                switch (e.getKey()) {
                    case "durationMs", "validationMs", "roundTripMs" -> o.put(e.getKey(), 2);
                    case "freeBytes" -> o.put(e.getKey(), 107_374_182_400L);
                    case "totalBytes" -> o.put(e.getKey(), 214_748_364_800L);
                    case "observedValue" -> {
                        if ("ms".equals(o.path("observedUnit").asText())) {
                            o.put(e.getKey(), 2);
                        }
                    }
                    case "port" -> {
                        if (e.getValue().asInt() == redisPort) {
                            o.put("port", 6379);
                        }
                    }
                    case "data" -> {
                        if (e.getValue() instanceof ObjectNode data) {
                            sortFields(data); // some checks build their data with Map.copyOf: no stable order
                        }
                    }
                    case "transitions" -> {
                        if (e.getValue() instanceof ArrayNode list) {
                            sameInstantByName(list);
                        }
                        normalize(e.getValue(), o);
                    }
                    default -> normalize(e.getValue(), o);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(n -> normalize(n, node));
        }
    }

    /**
     * Transitions are listed newest first by the engine's own sequence; two checks evaluated in parallel by one probe
     * change at the same instant in an order that depends on which pool thread finished first. The page lists such
     * ties by name, so that it does not change from run to run.
     */
    private static void sameInstantByName(ArrayNode list) {
        List<JsonNode> items = new ArrayList<>();
        list.forEach(items::add);
        for (int i = 0; i < items.size(); ) {
            int j = i;
            while (j < items.size()
                    && items.get(j)
                            .path("at")
                            .asText()
                            .equals(items.get(i).path("at").asText())) {
                j++;
            }
            items.subList(i, j).sort(Comparator.comparing(n -> n.path("name").asText()));
            i = j;
        }
        list.removeAll();
        items.forEach(list::add);
    }

    private static void sortFields(ObjectNode o) {
        java.util.TreeMap<String, JsonNode> sorted = new java.util.TreeMap<>();
        o.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
        o.removeAll();
        sorted.forEach((k, v) -> {
            if (k.endsWith("Ms") && v.isNumber()) {
                o.put(k, 2);
            } else if (k.equals("port") && v.isNumber()) {
                o.put(k, 6379);
            } else if (k.equals("freeBytes")) {
                o.put(k, 107_374_182_400L);
            } else if (k.equals("totalBytes")) {
                o.put(k, 214_748_364_800L);
            } else if (k.equals(TMP + " freeBytes")) { // DiskCheck: per path
                o.put("/tmp freeBytes", 107_374_182_400L);
            } else if (k.equals(TMP + " totalBytes")) {
                o.put("/tmp totalBytes", 214_748_364_800L);
            } else if (k.equals(TMP + " freePercent")) {
                o.put("/tmp freePercent", 50.0);
            } else {
                o.set(k, v);
            }
        });
    }

    private String normalizeText(String s) {
        return s.replace(TMP + ": free ", "/tmp: free ")
                .replaceAll("/tmp: free [0-9.]+ %", "/tmp: free 50 %")
                .replaceAll("answered PING in [0-9.]+ ms", "answered PING in 0.5 ms")
                .replace("127.0.0.1:" + redisPort, "127.0.0.1:6379")
                .replace("127.0.0.1:" + upstreamPort, "127.0.0.1:8081");
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 202 -> "Accepted";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 409 -> "Conflict";
            case 423 -> "Locked";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "";
        };
    }

    /** The reference part of the page. */
    private static final class Reference {
        static final String TEXT = """
                # HTTP contract

                <!-- Generated by examples/src/test/java/io/vigil/health/example/HttpContractDocTest.java from the \
                running example service. Do not edit: change the code, run `mvn -B -pl examples verify`, commit the \
                regenerated file. -->

                Every health endpoint of Vigil Health is served by one transport-neutral handler
                (`io.vigil.health.endpoint.HealthHandler`); the JDK server adapter, the servlet and the JAX-RS resource
                only translate. The reference below holds for all of them; the examples further down are real
                exchanges with the example service (`examples/`), captured by a test on every build, so they cannot
                drift from the code.

                ## Paths

                Relative to where the handler is mounted; the base path is `/health` unless configured otherwise.

                | path | probe | semantics |
                |---|---|---|
                | `/health` | all checks | readiness semantics over every registered check |
                | `/health/live` | liveness | process checks only; locks and draining do not apply |
                | `/health/ready` | readiness | readiness checks, locks (423), start-up, draining and out of service (503) |
                | `/health/started` | startup | startup checks and the started flag |
                | `/health/group/{name}` | a named group | readiness semantics over the group's checks; 404 for an unknown group |
                | `/livez`, `/readyz`, `/healthz` | liveness, readiness, all | Kubernetes-style aliases at the mount root |
                | `/$liveness`, `/$readiness` | liveness, readiness | FHIR-operation aliases at the mount root |
                | `/{prefix}/...` | as without the prefix | every path above under each configured version prefix (`/R4/$readiness`) |
                | `/health/out-of-service` | — | the operator's control, only with `operatorControl(true)`: `POST ?reason=…&by=…` takes the instance out of service, `DELETE` puts it back; authorized callers only (401 without credentials, 403 refused, 405 other methods); not under version prefixes |

                A trailing slash is ignored. Anything else answers 404.

                ## Methods

                | method | answer |
                |---|---|
                | `GET` | the report |
                | `HEAD` | status and headers of the `GET`, no body |
                | `OPTIONS` | 204 with `Allow: GET, HEAD, OPTIONS` |
                | anything else | 405 with `Allow` |

                ## Query parameters

                | parameter | values | effect |
                |---|---|---|
                | `verbose` | none, `true`, `1`, `false`, `0` | plain-text body, one line per check (kube-apiserver style); other values: 400 |
                | `exclude` | a check name, repeatable | leaves the check out of this evaluation; an empty or over-long value: 400 |

                Unknown parameters are ignored.

                ## Status codes

                First match wins.

                | status | outcome | when | liveness | readiness | startup |
                |---|---|---|---|---|---|
                | 500 | `ERROR` | the health machinery itself failed | yes | yes | yes |
                | 402 | `LICENSE_INVALID` | license expired or invalid | by setting (default yes) | yes | yes |
                | 423 | `LOCKED` | a long-running task holds a lock | — | yes | — |
                | 503 | `DOWN` | a REQUIRED check of the probe is DOWN | yes | yes | yes |
                | 503 | `DOWN` | the application has not finished starting | — | yes | yes |
                | 503 | `DOWN` | the application is draining for shutdown | — | yes | — |
                | 503 | `DOWN` | an operator took the instance out of service | — | yes | — |
                | 200 | `DEGRADED` | an OPTIONAL check is DOWN, a check is DEGRADED, the license expires soon | yes | yes | yes |
                | 200 | `UP` | all checks UP | yes | yes | yes |

                Request errors: 400 (malformed query value, percent-encoding or `Accept`), 404 (unknown path or
                group), 405 (method), 406 (no acceptable representation), 414 (path over 2048 or query over 4096
                characters).

                ## Headers

                | header | on | value |
                |---|---|---|
                | `Content-Type` | every answer with a body | the representation chosen (below) |
                | `Cache-Control` | every answer | `no-store` |
                | `X-Content-Type-Options` | every answer | `nosniff` |
                | `Content-Length` | every answer but 204 | body length (also on `HEAD`) |
                | `Retry-After` | 423 and 503, when known | seconds: remaining maximum duration of the lock, or the open circuit breaker's wait |
                | `Allow` | 204 (`OPTIONS`), 405 | `GET, HEAD, OPTIONS` |
                | `Content-Security-Policy`, `Referrer-Policy` | the `text/html` status page | `default-src 'none'`, the style sheet's hash, `frame-ancestors 'none'`; `no-referrer` |

                ## Representations (`Accept`)

                | media type | body |
                |---|---|
                | `application/json` (default, also `*/*`, `application/*`, no `Accept`) | MicroProfile Health JSON: `status` `UP` exactly when the HTTP status is 200, `checks[]` with `name`, `status`, `data` (details only); extensions `outcome`, `since` (since when the outcome holds), `transitions` (recent check transitions, newest first), `locks`, `license`, `operationOutcome`, and per check `critical`, `degraded`, `durationMs`, `cached`, `since`, `lastSuccess`, `consecutiveFailures`, `reason`, `message` (details only). A strict mode emits only the MicroProfile schema |
                | `application/fhir+json` (also `application/json+fhir`) | a FHIR R4 `OperationOutcome`: one issue per non-UP condition, the check's name in `expression` |
                | `application/health+json` | IETF health check response draft: `status` `pass`/`warn`/`fail`, `checks` keyed `name:responseTime` (with `time` of the observation and `since`, `lastSuccess`, `consecutiveFailures`), locks as `name:lock`, the license as `license:expiry` |
                | `text/plain` (also `text/*`, or `?verbose`) | `[+]name ok`, `[+]name degraded: reason`, `[-]name failed: reason (since 10:42:07Z, 3 failures)`, lock and license lines, a closing summary line |
                | `text/html` (named, never by a wildcard: a browser's navigation) | the status page ([status-page.md](status-page.md)): outcome, probes, checks, locks, license, recent transitions; no script, nothing loaded |

                `q` values are honoured; the highest-weighted available type wins.

                ## Details

                Check `data`, messages, lock descriptions and the licensee are shown only when the details policy
                allows: `NEVER`, `ALWAYS`, or `WHEN_AUTHORIZED` (a servlet role, a JAX-RS security context or a
                caller-supplied predicate; in the example: `Authorization: Bearer <VIGIL_ADMIN_TOKEN>`). Status,
                outcome, check names and lock names are always shown; without details the plain-text format says
                `reason withheld` where the reason would be. Secrets (URL user-info and query strings, passwords, `Authorization` values) never
                appear, with or without details.

                ## The example service's other endpoints

                | port | method and path | answer |
                |---|---|---|
                | `VIGIL_HTTP_PORT` | `GET /api/notes` | 200 JSON rows of the `notes` table; 503 OperationOutcome while the database is unreachable |
                | `VIGIL_HTTP_PORT` | `GET /api/work?ms=N` | 200 after N ms (0 to 30000; 400 otherwise); for watching a drain |
                | `VIGIL_HTTP_PORT` | `POST /admin/tasks/reindex?seconds=N` | 202 and the task (N from 1 to 3600, default 30), 409 when one runs, 400 for a bad N |
                | `VIGIL_HTTP_PORT` | `GET /admin/tasks/reindex` | 200 `{"running": ...}` |
                | `VIGIL_HTTP_PORT` | `DELETE /admin/tasks/reindex` | 200 after cancelling, 404 when none runs |
                | `VIGIL_MANAGEMENT_PORT` | `GET /metrics` | 200 Prometheus text format 0.0.4 |

                Admin endpoints answer 401 with `WWW-Authenticate: Bearer realm="vigil-example"` without the right
                bearer token, and always when `VIGIL_ADMIN_TOKEN` is not set. The token is compared in constant time.

                # Captured exchanges

                Captured from the example with H2, an embedded Redis (`VIGIL_REDIS_URL`, optional), a local upstream
                (`VIGIL_UPSTREAM_URL`, required), a signed license and `VIGIL_ADMIN_TOKEN` set. JSON bodies are
                pretty-printed here (the wire format is compact). The health registry ran on a clock the test sets
                (hence the dates); values measured in real time or read from the machine are replaced by fixed
                ones: durations (`durationMs`, `validationMs`, `roundTripMs`, health+json `observedValue`) by 2 and
                the PING time in Redis messages by 0.5 ms, disk sizes by 100 GiB free of 200 GiB (50 %, on `/tmp`), the
                memory check's data and message by a 500 MiB heap 10 % full after GC, and the loopback
                ports of Redis and the upstream by 6379 and 8081; `data` members are sorted by name. `Date` and
                `Content-Length` headers are left out.
                """;
    }
}
