package io.vigil.health.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.test.LogCapture;
import io.vigil.health.test.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class TransitionLogTest {
    private static final Duration FLUSH = Duration.ofSeconds(10);
    private static final CheckPolicy UNCACHED =
            CheckPolicy.builder().cacheTtl(Duration.ZERO).build();

    private final MutableClock clock = new MutableClock();
    private final List<HealthRegistry> registries = new ArrayList<>();

    private HealthRegistry health(HealthRegistry.Builder b) {
        HealthRegistry h =
                b.clock(clock).ticker(clock::nanos).startedImmediately().build();
        registries.add(h);
        return h;
    }

    @AfterEach
    void close() {
        registries.forEach(HealthRegistry::close);
    }

    private static List<ILoggingEvent> withKey(LogCapture logs, String key) {
        return logs.events().stream()
                .filter(e -> LogCapture.keyValues(e).containsKey(key))
                .toList();
    }

    private static String message(ILoggingEvent e) {
        return e.getLevel() + " " + e.getFormattedMessage();
    }

    private static String summary(ILoggingEvent e) {
        Map<String, Object> kv = LogCapture.keyValues(e);
        return e.getLevel() + " " + kv.get("from") + "->" + kv.get("to");
    }

    @Test
    void degradedIsATransitionBothWaysWarnWhenWorseInfoWhenBetter() {
        HealthRegistry health = health(HealthRegistry.builder());
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());
        health.register("replica", HealthCheck.of(CheckKind.DATASTORE, next::get), UNCACHED);
        health.evaluate(Probe.READINESS);
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            for (CheckResult r : List.of(
                    CheckResult.degraded("lag 12 s"),
                    CheckResult.down("refused"),
                    CheckResult.degraded("lag 3 s"),
                    CheckResult.up())) {
                next.set(r);
                health.evaluate(Probe.READINESS);
                health.evaluate(Probe.READINESS); // the same state again: no line
            }
            assertThat(health.flushEvents(FLUSH)).isTrue();
            List<ILoggingEvent> checkLines = withKey(logs, "check");
            assertThat(checkLines)
                    .extracting(TransitionLogTest::summary)
                    .containsExactly(
                            "WARN UP->DEGRADED", "WARN DEGRADED->DOWN", "INFO DOWN->DEGRADED", "INFO DEGRADED->UP");
            assertThat(LogCapture.keyValues(checkLines.get(1)))
                    .containsEntry("check", "replica")
                    .containsEntry("reason", "REPORTED")
                    .containsKey("durationMs");
            assertThat(withKey(logs, "probe"))
                    .extracting(TransitionLogTest::summary)
                    .containsExactly(
                            "WARN UP->DEGRADED", "WARN DEGRADED->DOWN", "INFO DOWN->DEGRADED", "INFO DEGRADED->UP");
            assertThat(withKey(logs, "probe"))
                    .allSatisfy(e -> assertThat(LogCapture.keyValues(e)).containsEntry("probe", "readiness"));
            assertThat(logs.lines()).hasSize(8);
        }
    }

    @Test
    void aLockLogsTakenAndReleasedAndTheProbeOutcomeChangeOnce() {
        HealthRegistry health = health(HealthRegistry.builder());
        health.register("db", CheckResult::up, UNCACHED);
        health.evaluate(Probe.READINESS);
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            try (TaskLock migration = health.lock("schema-migration", "Migrating schema to v42")) {
                assertThat(migration.isHeld()).isTrue();
                for (int i = 0; i < 50; i++) {
                    assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LOCKED);
                    assertThat(health.evaluate(Probe.LIVENESS).outcome()).isEqualTo(Outcome.UP);
                }
                clock.advance(Duration.ofSeconds(42));
            }
            health.evaluate(Probe.READINESS);
            assertThat(health.flushEvents(FLUSH)).isTrue();
            assertThat(logs.events())
                    .extracting(TransitionLogTest::message)
                    .containsExactly(
                            "INFO health lock schema-migration taken: Migrating schema to v42",
                            "WARN health probe readiness UP -> LOCKED",
                            "INFO health lock schema-migration released after 42000 ms",
                            "INFO health probe readiness LOCKED -> UP");
            assertThat(LogCapture.keyValues(logs.events().get(0))).containsEntry("lock", "schema-migration");
            assertThat(LogCapture.keyValues(logs.events().get(1)))
                    .containsEntry("probe", "readiness")
                    .containsEntry("from", "UP")
                    .containsEntry("to", "LOCKED");
            assertThat(LogCapture.keyValues(logs.events().get(2)))
                    .containsEntry("lock", "schema-migration")
                    .containsEntry("durationMs", 42_000L)
                    .containsEntry("expired", false);
        }
    }

    @Test
    void anExpiredLockLogsOneWarningWithItsDuration() {
        HealthRegistry health = health(HealthRegistry.builder());
        TaskLock lock = health.lock("import", "Importing patients", Duration.ofMinutes(10));
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            clock.advance(Duration.ofMinutes(10));
            for (int i = 0; i < 20; i++) {
                health.locks(); // every read applies expiry; only the first releases
            }
            assertThat(lock.isHeld()).isFalse();
            assertThat(health.flushEvents(FLUSH)).isTrue();
            List<ILoggingEvent> lines = withKey(logs, "lock");
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0).getLevel().toString()).isEqualTo("WARN");
            assertThat(LogCapture.keyValues(lines.get(0)))
                    .containsEntry("lock", "import")
                    .containsEntry("durationMs", 600_000L)
                    .containsEntry("expired", true);
            assertThat(logs.lines()).hasSize(1);
        }
    }

    @Test
    void licenseStateChangesLogOnceEachWarnWhenWorseInfoWhenBetter() {
        AtomicReference<LicenseState> license = new AtomicReference<>(LicenseState.of(LicenseValidity.VALID)
                .withLicensee("ACME")
                .withExpires(clock.instant().plus(Duration.ofDays(40))));
        HealthRegistry health =
                health(HealthRegistry.builder().license(license::get).licenseCacheTtl(Duration.ZERO));
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            health.license();
            assertThat(health.flushEvents(FLUSH)).isTrue();
            assertThat(logs.lines()).as("a first VALID is not news").isEmpty();
            for (LicenseValidity s : List.of(
                    LicenseValidity.EXPIRING,
                    LicenseValidity.EXPIRED,
                    LicenseValidity.VALID,
                    LicenseValidity.INVALID)) {
                license.set(LicenseState.of(s)
                        .withLicensee("ACME")
                        .withExpires(license.get().expires()));
                for (int i = 0; i < 10; i++) {
                    health.license();
                }
            }
            assertThat(health.flushEvents(FLUSH)).isTrue();
            assertThat(logs.events())
                    .extracting(TransitionLogTest::summary)
                    .containsExactly(
                            "WARN VALID->EXPIRING",
                            "WARN EXPIRING->EXPIRED",
                            "INFO EXPIRED->VALID",
                            "WARN VALID->INVALID");
            assertThat(LogCapture.keyValues(logs.events().get(0))).containsEntry("expires", "2026-02-10T00:00:00Z");
        }
    }

    @Test
    void aBreakerLogsWarnWhenItOpensAndInfoWhenItCloses() {
        HealthRegistry health = health(HealthRegistry.builder());
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.down("503"));
        health.register(
                "upstream",
                HealthCheck.of(CheckKind.DEPENDENCY, next::get),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .circuitBreaker(2, Duration.ofSeconds(30))
                        .build());
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            for (int i = 0; i < 20; i++) {
                health.evaluate(Probe.READINESS);
            }
            clock.advance(Duration.ofSeconds(30));
            next.set(CheckResult.up());
            health.evaluate(Probe.READINESS);
            assertThat(health.flushEvents(FLUSH)).isTrue();
            List<ILoggingEvent> breaker = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().contains("circuit breaker"))
                    .toList();
            assertThat(breaker)
                    .extracting(TransitionLogTest::message)
                    .containsExactly(
                            "WARN circuit breaker of health check upstream CLOSED -> OPEN",
                            "INFO circuit breaker of health check upstream OPEN -> HALF_OPEN",
                            "INFO circuit breaker of health check upstream HALF_OPEN -> CLOSED");
            assertThat(breaker)
                    .allSatisfy(e -> assertThat(LogCapture.keyValues(e))
                            .containsEntry("check", "upstream")
                            .containsKeys("from", "to"));
        }
    }

    @Test
    void aThousandProbesOfASteadyButImpairedStateLogNothingEvenWhileScraped() {
        AtomicReference<LicenseState> license = new AtomicReference<>(LicenseState.of(LicenseValidity.EXPIRING)
                .withLicensee("ACME")
                .withExpires(clock.instant().plus(Duration.ofDays(5)))
                .withMessage("expires soon"));
        HealthRegistry health =
                health(HealthRegistry.builder().license(license::get).licenseCacheTtl(Duration.ZERO));
        health.register("replica", () -> CheckResult.degraded("lag 12 s"), UNCACHED);
        health.register(
                "mail",
                () -> CheckResult.down("refused"),
                CheckPolicy.builder().cacheTtl(Duration.ZERO).optional().build());
        health.register(
                "upstream",
                HealthCheck.of(CheckKind.DEPENDENCY, () -> CheckResult.down("503")),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .circuitBreaker(1, Duration.ofHours(1))
                        .build());
        health.register(
                "disk",
                CheckResult::up,
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .probes(Probe.LIVENESS, Probe.STARTUP)
                        .build());
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new HealthMetrics(health).bindTo(prometheus);
        try (TaskLock reindex = health.lock("reindex", "Reindexing")) {
            assertThat(reindex.isHeld()).isTrue();
            for (Probe p : Probe.values()) {
                health.evaluate(p);
            }
            health.evaluate(Scope.all(), Set.of());
            assertThat(health.flushEvents(FLUSH)).isTrue();
            try (LogCapture logs = LogCapture.of("io.vigil.health")) {
                for (int i = 0; i < 1000; i++) {
                    health.evaluate(Probe.values()[i % 3]);
                    health.evaluate(Scope.all(), Set.of());
                    prometheus.scrape();
                    clock.advance(Duration.ofMillis(10));
                }
                assertThat(health.flushEvents(FLUSH)).isTrue();
                assertThat(logs.lines()).isEmpty();
            }
        } finally {
            prometheus.close();
        }
    }

    @Test
    void keyValuesReachAJsonEncoderAsFields() throws Exception {
        HealthRegistry health = health(HealthRegistry.builder());
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());
        health.register("db", HealthCheck.of(CheckKind.DATASTORE, next::get), UNCACHED);
        health.evaluate(Probe.READINESS);
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            next.set(CheckResult.down("connection refused"));
            health.evaluate(Probe.READINESS);
            assertThat(health.flushEvents(FLUSH)).isTrue();
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
            encoder.start();
            JsonNode json = new ObjectMapper()
                    .readTree(new String(encoder.encode(withKey(logs, "check").get(0)), StandardCharsets.UTF_8));
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            json.get("kvpList")
                    .forEach(pair -> pair.properties()
                            .forEach(f -> fields.put(f.getKey(), f.getValue().asText())));
            assertThat(json.get("level").asText()).isEqualTo("WARN");
            assertThat(json.get("loggerName").asText()).isEqualTo("io.vigil.health");
            assertThat(fields)
                    .containsEntry("check", "db")
                    .containsEntry("from", "UP")
                    .containsEntry("to", "DOWN")
                    .containsEntry("reason", "REPORTED")
                    .containsKey("durationMs");
        }
    }

    @Test
    void transitionLinesCarryNoSecrets() {
        HealthRegistry health = health(HealthRegistry.builder());
        health.register(
                "db",
                () -> {
                    throw new IllegalStateException("cannot reach postgres://app:hunter2@db:5432/app?password=s3cret");
                },
                UNCACHED);
        health.register(
                "api", () -> CheckResult.down("GET https://api.example.com/v1?token=abc123 returned 500"), UNCACHED);
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            health.evaluate(Probe.READINESS);
            assertThat(health.flushEvents(FLUSH)).isTrue();
            assertThat(logs.lines()).hasSize(3); // two checks and the probe
            assertThat(String.join("\n", logs.lines()))
                    .contains("db", "api")
                    .doesNotContain("hunter2", "s3cret", "abc123");
        }
    }

    @Test
    void disablingTransitionLogsSilencesThem() {
        HealthRegistry health = health(HealthRegistry.builder().logTransitions(false));
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());
        health.register("db", next::get, UNCACHED);
        assertThat(health.flushEvents(FLUSH)).isTrue();
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            health.evaluate(Probe.READINESS);
            next.set(CheckResult.down("refused"));
            health.evaluate(Probe.READINESS);
            health.lock("x", "y").close();
            assertThat(health.flushEvents(FLUSH)).isTrue();
            assertThat(logs.lines()).isEmpty();
        }
    }
}
