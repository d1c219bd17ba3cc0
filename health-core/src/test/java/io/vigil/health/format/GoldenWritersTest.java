package io.vigil.health.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.Criticality;
import io.vigil.health.HealthReport;
import io.vigil.health.Issue;
import io.vigil.health.IssueSeverity;
import io.vigil.health.IssueSubject;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.LockInfo;
import io.vigil.health.OutOfService;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.Transition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every writer on the same report fixtures, compared byte for byte with files under
 * {@code src/test/resources/io/vigil/health/format/golden/}: a change of any format shows up as a diff to review.
 * After an intended change, regenerate with {@code -Dvigil.golden.update=true} (see docs/writing-docs.md) and
 * commit the files.
 */
class GoldenWritersTest {
    private static final Path GOLDEN = Path.of("src/test/resources/io/vigil/health/format/golden");
    private static final boolean UPDATE = Boolean.getBoolean("vigil.golden.update");
    private static final Instant T = Instant.parse("2026-01-15T10:00:00Z");

    private static final Map<String, ReportWriter> WRITERS = new LinkedHashMap<>();

    static {
        WRITERS.put("microprofile.json", new MicroProfileJsonWriter(false));
        WRITERS.put("microprofile-strict.json", new MicroProfileJsonWriter(true));
        WRITERS.put("fhir.json", new OperationOutcomeWriter());
        WRITERS.put("health.json", new HealthJsonWriter());
        WRITERS.put("text.txt", new PlainTextWriter());
        WRITERS.put("page.html", new StatusPageWriter(Duration.ofSeconds(5)));
        WRITERS.put("status-word.json", new StatusWordJsonWriter());
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Map.Entry<String, HealthReport> f : fixtures().entrySet()) {
            for (Map.Entry<String, ReportWriter> w : WRITERS.entrySet()) {
                for (boolean details : new boolean[] {false, true}) {
                    out.add(Arguments.of(
                            f.getKey() + (details ? ".details." : ".") + w.getKey(),
                            f.getValue(),
                            w.getValue(),
                            details));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writerOutputMatchesItsGoldenFile(String file, HealthReport report, ReportWriter writer, boolean details)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(report, details, out);
        String actual = file.endsWith(".txt") || file.endsWith(".html")
                ? out.toString(StandardCharsets.UTF_8)
                : indented(out.toByteArray());
        Path golden = GOLDEN.resolve(file);
        if (UPDATE) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        assertThat(golden)
                .as("golden file %s (regenerate with -Dvigil.golden.update=true)", file)
                .exists();
        assertThat(actual)
                .as("%s drifted; regenerate with -Dvigil.golden.update=true and review the diff", file)
                .isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void noOutputHoldsTheFixturesSecrets(String file, HealthReport report, ReportWriter writer, boolean details)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(report, details, out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .as(file)
                .doesNotContain("hunter2")
                .doesNotContain("s3cr3t");
    }

    /** The same JSON, members in their order, one per line: golden diffs stay readable. */
    private static String indented(byte[] json) throws IOException {
        JsonFactory f = new JsonFactory();
        StringWriter w = new StringWriter();
        try (JsonParser p = f.createParser(json);
                JsonGenerator g = f.createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            p.nextToken();
            g.copyCurrentStructure(p);
            assertThat(p.nextToken()).as("one JSON value, nothing after it").isNull();
        }
        return w + "\n";
    }

    /** Reports covering every subject, cause family, outcome and scope kind the writers distinguish. */
    static Map<String, HealthReport> fixtures() {
        Map<String, HealthReport> f = new LinkedHashMap<>();
        CheckEntry db = CheckEntry.builder("db")
                .kind(CheckKind.DATASTORE)
                .duration(Duration.ofMillis(12))
                .checkedAt(T.minusMillis(300))
                .data(data("product", "H2", "pool.active", 3))
                .since(Instant.parse("2026-01-14T22:00:00Z"))
                .lastSuccess(T.minusMillis(300))
                .build();
        CheckEntry ping = CheckEntry.builder("ping")
                .duration(Duration.ofMillis(0))
                .checkedAt(T)
                .cached(true)
                .build();
        LicenseState valid = LicenseState.of(LicenseValidity.VALID)
                .withLicensee("Acme")
                .withExpires(Instant.parse("2027-01-01T00:00:00Z"));
        f.put(
                "readiness-up",
                HealthReport.builder(Scope.of(Probe.READINESS), Outcome.UP)
                        .checks(List.of(db, ping))
                        .since(Instant.parse("2026-01-14T22:00:00Z"))
                        .license(valid)
                        .issues(List.of(
                                Issue.of(IssueSeverity.INFORMATION, new IssueSubject.Overall(), "All checks are UP")))
                        .timestamp(T)
                        .build());

        LockInfo lock = LockInfo.of("schema-migration", T.minusSeconds(5))
                .withDescription("Migrating schema to v42")
                .withMaxDuration(Duration.ofMinutes(1));
        CheckEntry cache = CheckEntry.builder("cache")
                .kind(CheckKind.DEPENDENCY)
                .criticality(Criticality.OPTIONAL)
                .status(Status.DOWN)
                .cause(Cause.TIMEOUT)
                .message("no answer within 800 ms")
                .duration(Duration.ofMillis(800))
                .checkedAt(T)
                .since(T.minusSeconds(20))
                .lastSuccess(T.minusSeconds(30))
                .consecutiveFailures(2)
                .build();
        CheckEntry disk = CheckEntry.builder("disk")
                .status(Status.DEGRADED)
                .message("91% full")
                .data(data("free.bytes", 1_048_576L, "ratio", 0.09, "ok", false))
                .duration(Duration.ofMillis(1))
                .checkedAt(T)
                .since(Instant.parse("2026-01-14T23:59:30Z"))
                .lastSuccess(T)
                .build();
        LicenseState expiring = LicenseState.of(LicenseValidity.EXPIRING)
                .withLicensee("Acme")
                .withExpires(Instant.parse("2026-01-30T00:00:00Z"))
                .withMessage("license expires soon");
        f.put(
                "liveness-degraded",
                HealthReport.builder(Scope.of(Probe.LIVENESS), Outcome.DEGRADED)
                        .checks(List.of(ping, cache, disk))
                        .locks(List.of(lock))
                        .license(expiring)
                        .issues(List.of(
                                Issue.of(
                                                IssueSeverity.WARNING,
                                                new IssueSubject.License(LicenseValidity.EXPIRING),
                                                "The license expires soon (expiry 2026-01-30T00:00:00Z)")
                                        .withDetail("license expires soon"),
                                Issue.of(IssueSeverity.WARNING, subject(cache), "Optional check 'cache' timed out")
                                        .withDetail(cache.message()),
                                Issue.of(IssueSeverity.WARNING, subject(disk), "Check 'disk' is DEGRADED")
                                        .withDetail(disk.message())))
                        .timestamp(T)
                        .build());

        CheckEntry refused = db.toBuilder()
                .status(Status.DOWN)
                .message("Connection refused: db:5432")
                .data(null)
                .since(Instant.parse("2026-01-15T09:42:07Z"))
                .lastSuccess(Instant.parse("2026-01-15T09:41:57Z"))
                .consecutiveFailures(3)
                .build();
        f.put(
                "readiness-locked",
                HealthReport.builder(Scope.of(Probe.READINESS), Outcome.LOCKED)
                        .checks(List.of(refused, ping))
                        .locks(List.of(lock))
                        .since(T.minusSeconds(5))
                        .transitions(List.of(
                                Transition.of(
                                        "db",
                                        Status.UP,
                                        Status.DOWN,
                                        Cause.REPORTED,
                                        Instant.parse("2026-01-15T09:42:07Z")),
                                Transition.of(
                                        "db",
                                        Status.DOWN,
                                        Status.UP,
                                        Cause.REPORTED,
                                        Instant.parse("2026-01-15T09:30:00Z")),
                                Transition.of(
                                        "db",
                                        Status.UP,
                                        Status.DOWN,
                                        Cause.TIMEOUT,
                                        Instant.parse("2026-01-15T09:29:40Z"))))
                        .issues(List.of(
                                Issue.of(
                                                IssueSeverity.ERROR,
                                                new IssueSubject.Lock(lock.name()),
                                                "Locked by task 'schema-migration' since " + lock.since())
                                        .withDetail(lock.description()),
                                Issue.of(
                                                IssueSeverity.ERROR,
                                                subject(refused),
                                                "Required check 'db' is DOWN (since 2026-01-15T09:42:07Z, 3 failures in a row)")
                                        .withDetail(refused.message())))
                        .retryAfter(Duration.ofSeconds(55))
                        .timestamp(T)
                        .build());

        CheckEntry upstream = CheckEntry.builder("payments")
                .kind(CheckKind.DEPENDENCY)
                .status(Status.DOWN)
                .cause(Cause.CIRCUIT_OPEN)
                .breaker(BreakerState.OPEN)
                .retryAfter(Duration.ofSeconds(20))
                .message("circuit open after repeated failures; last: HTTP 502")
                .duration(Duration.ofMillis(40))
                .checkedAt(T.minusSeconds(10))
                .cached(true)
                .build();
        f.put(
                "group-down",
                HealthReport.builder(Scope.group("core"), Outcome.DOWN)
                        .checks(List.of(upstream))
                        .issues(List.of(
                                Issue.of(
                                                IssueSeverity.ERROR,
                                                subject(upstream),
                                                "Required check 'payments' is DOWN (circuit " + "open)")
                                        .withDetail(upstream.message()),
                                Issue.of(
                                        IssueSeverity.ERROR,
                                        new IssueSubject.Lifecycle(IssueSubject.Phase.NOT_STARTED),
                                        "The application has not finished starting"),
                                Issue.of(
                                        IssueSeverity.ERROR,
                                        new IssueSubject.Lifecycle(IssueSubject.Phase.DRAINING),
                                        "The application is shutting down (draining)")))
                        .retryAfter(Duration.ofSeconds(20))
                        .timestamp(T)
                        .build());

        CheckEntry thrown = CheckEntry.builder("queue")
                .status(Status.DOWN)
                .cause(Cause.EXCEPTION)
                .message("IllegalStateException: broker \"q1\"\nunreachable")
                .checkedAt(T)
                .build();
        CheckEntry awaited = CheckEntry.builder("search")
                .status(Status.DOWN)
                .cause(Cause.INTERRUPTED)
                .message("probe interrupted before the check finished")
                .build();
        LicenseState invalid = LicenseState.invalid("signature does not match");
        f.put(
                "all-license-invalid",
                HealthReport.builder(Scope.all(), Outcome.LICENSE_INVALID)
                        .checks(List.of(thrown, awaited))
                        .license(invalid)
                        .issues(List.of(
                                Issue.of(
                                                IssueSeverity.FATAL,
                                                new IssueSubject.License(LicenseValidity.INVALID),
                                                "The license is invalid")
                                        .withDetail(invalid.message()),
                                Issue.of(
                                                IssueSeverity.ERROR,
                                                subject(thrown),
                                                "Required check 'queue' failed with an error")
                                        .withDetail(thrown.message()),
                                Issue.of(
                                        IssueSeverity.ERROR,
                                        subject(awaited),
                                        "Required check 'search' was not awaited (the probe was interrupted)")))
                        .timestamp(T)
                        .build());

        // out of service (an operator's reason with a pasted credential), a message and a data value longer than the
        // writers' bounds, a check name that is, and an exception message with credentials: what the engine stores
        OutOfService oos = new OutOfService(
                "maintenance, ask ops (token=s3cr3t-t0ken)", "ops@example.org", Instant.parse("2026-01-15T09:00:00Z"));
        CheckEntry secret = CheckEntry.builder("db")
                .kind(CheckKind.DATASTORE)
                .status(Status.DOWN)
                .cause(Cause.EXCEPTION)
                .message(Secrets.describe(new java.sql.SQLException(
                        "cannot connect to jdbc:postgresql://db:5432/app?user=app&password=hunter2")))
                .data(data("url", Secrets.redact("redis://:hunter2@cache:6379/0")))
                .checkedAt(T)
                .build();
        CheckEntry verbose = CheckEntry.builder("x".repeat(300))
                .status(Status.DEGRADED)
                .message("slow ".repeat(300) + "\uD83D\uDE00")
                .data(data("long", "v".repeat(400), "emoji", "\uD83D\uDE00".repeat(200)))
                .checkedAt(T)
                .build();
        f.put(
                "readiness-out-of-service",
                HealthReport.builder(Scope.of(Probe.READINESS), Outcome.DOWN)
                        .checks(List.of(secret, verbose))
                        .issues(List.of(
                                Issue.of(
                                        IssueSeverity.ERROR,
                                        new IssueSubject.Lifecycle(IssueSubject.Phase.OUT_OF_SERVICE),
                                        oos.describe()),
                                Issue.of(
                                                IssueSeverity.ERROR,
                                                subject(secret),
                                                "Required check 'db' failed with an error")
                                        .withDetail(secret.message()),
                                Issue.of(IssueSeverity.WARNING, subject(verbose), "Check is DEGRADED")
                                        .withDetail(verbose.message())))
                        .timestamp(T)
                        .build());
        return f;
    }

    private static IssueSubject subject(CheckEntry e) {
        return new IssueSubject.Check(e.name(), e.kind(), e.cause());
    }

    private static Map<String, Object> data(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
