package io.vigil.health.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import io.vigil.health.test.MutableClock;
import io.vigil.health.test.Scrape;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code promtool} over {@code docs/monitoring}: rule syntax, the rule unit tests, the dashboard's
 * PromQL, and the rules against series recorded from the binder itself. Skipped with install instructions when
 * promtool is missing, unless {@code VIGIL_REQUIRE_PROMTOOL=true}.
 */
class PromtoolTest {
    private Path promtool;
    private Path dir;

    @TempDir
    Path temp;

    @BeforeEach
    void findPromtool() {
        promtool = Monitoring.promtoolOrSkip();
        dir = Monitoring.dir();
    }

    @Test
    void theAlertRulesPassPromtoolCheckRules() {
        Monitoring.Run run = Monitoring.promtool(promtool, dir, "check", "rules", "health-alerts.yml");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS: 19 rules found");
    }

    @Test
    void theAlertRuleUnitTestsPass() {
        Monitoring.Run run = Monitoring.promtool(promtool, dir, "test", "rules", "health-alerts.test.yml");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void aWrongExpectationOrABrokenRuleMakesPromtoolFail() throws IOException {
        Files.copy(dir.resolve("health-alerts.yml"), temp.resolve("health-alerts.yml"));
        String tests = Monitoring.read(dir.resolve("health-alerts.test.yml"));
        String wrong = tests.replace("values: '0 1 2 3 4 0 0'", "values: '0 1 2 2 2 0 0'");
        assertThat(wrong).isNotEqualTo(tests);
        Files.writeString(temp.resolve("health-alerts.test.yml"), wrong);
        Monitoring.Run failing = Monitoring.promtool(promtool, temp, "test", "rules", "health-alerts.test.yml");
        assertThat(failing.exit()).as(failing.output()).isNotZero();
        assertThat(failing.output()).contains("FAILED", "HealthRequiredCheckDown");

        String rules = Monitoring.read(dir.resolve("health-alerts.yml"));
        Files.writeString(
                temp.resolve("broken.yml"), rules.replace("health_locks_active > 0", "health_locks_active >"));
        Monitoring.Run broken = Monitoring.promtool(promtool, temp, "check", "rules", "broken.yml");
        assertThat(broken.exit()).as(broken.output()).isNotZero();
    }

    @Test
    void everyDashboardQueryIsValidPromQl() throws IOException {
        JsonNode dashboard =
                new ObjectMapper().readTree(dir.resolve("health-dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard
                .path("panels")
                .forEach(p ->
                        p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        dashboard.path("templating").path("list").forEach(v -> {
            String q = v.path("definition").asText();
            if (q.startsWith("label_values(")) { // Grafana's function; its first argument is a series selector
                exprs.add(q.substring("label_values(".length(), q.lastIndexOf(',')));
            }
        });
        assertThat(exprs).hasSizeGreaterThan(5);
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        for (int i = 0; i < exprs.size(); i++) {
            String promql = exprs.get(i)
                    .replace("$__rate_interval", "5m")
                    .replace("$job", "orders")
                    .replace("$instance", "orders-1");
            assertThat(promql).as("no Grafana variable left").doesNotContain("$");
            rules.append("      - record: dashboard:query_")
                    .append(i)
                    .append("\n        expr: '")
                    .append(promql.replace("'", "''"))
                    .append("'\n");
        }
        Files.writeString(temp.resolve("dashboard-queries.yml"), rules.toString());
        Monitoring.Run run = Monitoring.promtool(promtool, temp, "check", "rules", "dashboard-queries.yml");
        assertThat(run.exit()).as(run.output() + "\n" + rules).isZero();
        assertThat(run.output()).contains("SUCCESS: " + exprs.size() + " rules found");
    }

    /**
     * A 25-minute incident played against a real registry and binder; the scrape of each minute becomes a promtool
     * input series, and the test asserts exactly which alerts fire at every minute.
     */
    @Test
    void theAlertsFireOnWhatTheBinderReallyExports() throws IOException {
        MutableClock clock = new MutableClock();
        Instant expires = clock.instant().plus(Duration.ofDays(14)).plusSeconds(150);
        HealthRegistry health = HealthRegistry.builder()
                .clock(clock)
                .ticker(clock::nanos)
                .startedImmediately()
                .licenseCacheTtl(Duration.ZERO)
                .license(() -> {
                    Duration left = Duration.between(clock.instant(), expires);
                    LicenseValidity s = left.isNegative() || left.isZero()
                            ? LicenseValidity.EXPIRED
                            : left.compareTo(Duration.ofDays(14)) < 0
                                    ? LicenseValidity.EXPIRING
                                    : LicenseValidity.VALID;
                    return LicenseState.of(s).withLicensee("ACME").withExpires(expires);
                })
                .build();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, List<Double>> series = new LinkedHashMap<>();
        int minutes = 25;
        try (health) {
            AtomicBoolean dbUp = new AtomicBoolean(true);
            AtomicBoolean upstreamUp = new AtomicBoolean(true);
            CheckPolicy uncached = CheckPolicy.builder().cacheTtl(Duration.ZERO).build();
            health.register(
                    "db",
                    HealthCheck.of(
                            CheckKind.DATASTORE, () -> dbUp.get() ? CheckResult.up() : CheckResult.down("refused")),
                    uncached);
            health.register(
                    "mail",
                    () -> CheckResult.down("smtp refused"),
                    uncached.toBuilder().optional().build());
            health.register(
                    "upstream",
                    HealthCheck.of(
                            CheckKind.DEPENDENCY, () -> upstreamUp.get() ? CheckResult.up() : CheckResult.down("503")),
                    uncached.toBuilder()
                            .optional()
                            .circuitBreaker(2, Duration.ofSeconds(30))
                            .build());
            new HealthMetrics(health).bindTo(prometheus);
            TaskLock lock = null;
            for (int m = 0; m < minutes; m++) {
                dbUp.set(m < 5 || m > 12);
                upstreamUp.set(m < 2 || m > 9);
                if (m == 3) {
                    lock = health.lock("reindex", "Reindexing");
                }
                if (m == 21) {
                    lock.close();
                }
                if (m == 22) {
                    clock.advance(Duration.ofDays(14));
                }
                health.evaluate(Probe.READINESS);
                health.evaluate(Probe.LIVENESS);
                assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue(); // event-driven meters are current
                for (Map.Entry<String, Double> e : new Scrape(prometheus.scrape()).series.entrySet()) {
                    if (e.getKey().startsWith("health_")) {
                        List<Double> values = series.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                        while (values.size() < m) {
                            values.add(null);
                        }
                        values.add(e.getValue());
                    }
                }
                clock.advance(Duration.ofMinutes(1));
            }
        } finally {
            prometheus.close();
        }

        StringBuilder yml = new StringBuilder("rule_files:\n  - health-alerts.yml\nevaluation_interval: 1m\n")
                .append("tests:\n  - interval: 1m\n    input_series:\n");
        series.forEach((name, values) -> yml.append("      - series: '")
                .append(withTargetLabels(name))
                .append("'\n        values: '")
                .append(values.stream().map(PromtoolTest::sample).collect(Collectors.joining(" ")))
                .append("'\n"));
        yml.append("    promql_expr_test:\n");
        for (int m = 0; m < minutes; m++) {
            yml.append("      - expr: 'ALERTS{alertstate=\"firing\"}'\n        eval_time: ")
                    .append(m)
                    .append("m\n        exp_samples:")
                    .append(firingAt(m).isEmpty() ? " []\n" : "\n");
            for (String alert : firingAt(m)) {
                yml.append("          - labels: '").append(alert).append("'\n            value: 1\n");
            }
        }
        Files.copy(dir.resolve("health-alerts.yml"), temp.resolve("health-alerts.yml"));
        Files.writeString(temp.resolve("binder.test.yml"), yml, StandardCharsets.UTF_8);
        Monitoring.Run run = Monitoring.promtool(promtool, temp, "test", "rules", "binder.test.yml");
        assertThat(run.exit()).as(run.output() + "\n" + yml).isZero();
    }

    /** What an on-call engineer expects from the incident above, minute by minute. */
    private static List<String> firingAt(int m) {
        String target = "instance=\"orders-1:8080\",job=\"orders\"";
        TreeSetBuilder out = new TreeSetBuilder();
        if (m >= 4 && m <= 9) { // upstream fails from minute 2; its breaker opens at the 2nd failure; for 1m
            out.add("ALERTS{alertname=\"HealthCircuitBreakerOpen\",alertstate=\"firing\",check=\"upstream\"," + target
                    + ",severity=\"warning\"}");
        }
        if (m >= 7 && m <= 12) { // db DOWN from minute 5: the 3rd DOWN evaluation is at minute 7
            out.add("ALERTS{alertname=\"HealthRequiredCheckDown\",alertstate=\"firing\",check=\"db\"," + target
                    + ",severity=\"critical\"}");
        }
        if (m >= 18 && m <= 20) { // locked from minute 3, released at 21; for 15m
            out.add("ALERTS{alertname=\"HealthReadinessLocked\",alertstate=\"firing\"," + target
                    + ",severity=\"warning\"}");
        }
        if (m >= 3 && m <= 21) { // 14 days + 150 s left at minute 0
            out.add("ALERTS{alertname=\"HealthLicenseExpiringSoon\",alertstate=\"firing\"," + target
                    + ",severity=\"warning\"}");
        }
        if (m >= 22) { // the clock jumps 14 days at minute 22
            out.add("ALERTS{alertname=\"HealthLicenseExpired\",alertstate=\"firing\"," + target
                    + ",severity=\"critical\"}");
        }
        return out.list();
    }

    /** Sorted, so that the expected samples read the same on every run. */
    private static final class TreeSetBuilder {
        private final TreeSet<String> set = new TreeSet<>();

        void add(String s) {
            set.add(s);
        }

        List<String> list() {
            return List.copyOf(set);
        }
    }

    /** Adds the labels Prometheus attaches to every scraped series. */
    private static String withTargetLabels(String series) {
        String target = "job=\"orders\",instance=\"orders-1:8080\"";
        int brace = series.indexOf('{');
        return brace < 0
                ? series + "{" + target + "}"
                : series.substring(0, brace + 1) + target + "," + series.substring(brace + 1);
    }

    private static String sample(Double v) {
        if (v == null) {
            return "_";
        }
        if (v.isNaN()) {
            return "NaN";
        }
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
