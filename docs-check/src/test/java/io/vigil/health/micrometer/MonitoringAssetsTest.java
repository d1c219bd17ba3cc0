package io.vigil.health.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dashboard, alert rules and runbook agree with each other and with what the binder really exports. */
class MonitoringAssetsTest {
    private static Set<String> exported;
    private static Path dir;

    @BeforeAll
    static void scrapeOnce() {
        exported = Monitoring.exportedNames();
        dir = Monitoring.dir();
    }

    @Test
    void theBinderExportsTheDocumentedPrometheusNames() {
        assertThat(exported)
                .containsExactlyInAnyOrder(
                        "health_check_status",
                        "health_check_duration_seconds_count",
                        "health_check_duration_seconds_sum",
                        "health_check_duration_seconds_max",
                        "health_check_failures_total",
                        "health_check_consecutive_failures",
                        "health_check_circuit_state",
                        "health_check_required",
                        "health_probe_status",
                        "health_probe_duration_seconds_count",
                        "health_probe_duration_seconds_sum",
                        "health_probe_duration_seconds_max",
                        "health_locks_active",
                        "health_license_expiry_seconds",
                        "health_license_valid",
                        "health_license_grace_total",
                        "health_executions_stuck",
                        "health_executions_rejected_total",
                        "health_checks_stale",
                        "health_listener_failures_total",
                        "health_listener_dropped_total",
                        "health_out_of_service");
    }

    @Test
    void theDashboardIsGrafanaJsonWhoseQueriesUseOnlyExportedMetrics() throws Exception {
        JsonNode dashboard =
                new ObjectMapper().readTree(dir.resolve("health-dashboard.json").toFile());
        assertThat(dashboard.path("title").asText()).isNotBlank();
        assertThat(dashboard.path("uid").asText()).matches("[a-z0-9-]{1,40}");
        assertThat(dashboard.path("schemaVersion").asInt()).isPositive();
        JsonNode panels = dashboard.path("panels");
        assertThat(panels.isArray() && panels.size() > 0).isTrue();
        Set<Integer> ids = new HashSet<>();
        Set<String> usedByPanels = new TreeSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(ids.add(panel.path("id").asInt()))
                    .as("unique id of %s", title)
                    .isTrue();
            assertThat(panel.path("gridPos").path("w").asInt())
                    .as("width of %s", title)
                    .isBetween(1, 24);
            assertThat(panel.path("gridPos").path("h").asInt())
                    .as("height of %s", title)
                    .isPositive();
            assertThat(panel.path("targets").size()).as("queries of %s", title).isPositive();
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                assertThat(expr).as("query of %s", title).isNotBlank();
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(Monitoring.metricNames(expr))
                        .as("metrics of %s", title)
                        .isNotEmpty();
                usedByPanels.addAll(Monitoring.metricNames(expr));
            }
        }
        assertThat(usedByPanels)
                .as("status timeline, durations, breakers, locks, license expiry")
                .contains(
                        "health_check_status",
                        "health_probe_status",
                        "health_check_duration_seconds_sum",
                        "health_check_duration_seconds_count",
                        "health_check_circuit_state",
                        "health_locks_active",
                        "health_license_expiry_seconds");
        Set<String> everywhere = Monitoring.metricNames(Monitoring.read(dir.resolve("health-dashboard.json")));
        assertThat(exported)
                .as("every metric named anywhere in the dashboard, variables included")
                .containsAll(everywhere);
    }

    @Test
    void theAlertRulesAndTheirUnitTestsUseOnlyExportedMetrics() {
        Set<String> inRules = Monitoring.metricNames(Monitoring.read(dir.resolve("health-alerts.yml")));
        Set<String> inTests = Monitoring.metricNames(Monitoring.read(dir.resolve("health-alerts.test.yml")));
        assertThat(inRules).isNotEmpty();
        assertThat(exported).containsAll(inRules).containsAll(inTests);
        assertThat(inTests)
                .as("the unit tests feed every series the rules read")
                .containsAll(inRules);
    }

    @Test
    void everyExportedMetricIsShownOrAlertedOn() {
        Set<String> used = new TreeSet<>(Monitoring.metricNames(Monitoring.read(dir.resolve("health-dashboard.json"))));
        used.addAll(Monitoring.metricNames(Monitoring.read(dir.resolve("health-alerts.yml"))));
        assertThat(used).containsAll(exported);
    }

    @Test
    void everyAlertHasARunbookEntryWithMeaningFirstCheckAndFix() {
        String rules = Monitoring.read(dir.resolve("health-alerts.yml"));
        Map<String, String> runbookUrls = new LinkedHashMap<>();
        Matcher alert = Pattern.compile("(?m)^\\s*- alert: (\\S+)$").matcher(rules);
        List<Integer> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (alert.find()) {
            starts.add(alert.start());
            names.add(alert.group(1));
        }
        assertThat(names)
                .as("alerts the issue asks for")
                .contains(
                        "HealthRequiredCheckDown",
                        "HealthCheckStuck",
                        "HealthCheckStale",
                        "HealthChecksRejected",
                        "HealthListenerEventsLost",
                        "HealthReadinessLocked",
                        "HealthCircuitBreakerOpen",
                        "HealthLicenseExpiringSoon",
                        "HealthLicenseExpired",
                        "HealthProbeLatencyHigh",
                        "HealthOutOfServiceForgotten",
                        "HealthFleetMostlyUnready",
                        "HealthReplicaUnready",
                        "HealthSharedDependencyDown",
                        "HealthFleetReadinessFlapping");
        for (int i = 0; i < names.size(); i++) {
            String block = rules.substring(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : rules.length());
            Matcher url = Pattern.compile("runbook_url: \"([^\"]+)\"").matcher(block);
            assertThat(url.find()).as("runbook_url of %s", names.get(i)).isTrue();
            runbookUrls.put(names.get(i), url.group(1));
        }

        String runbook = Monitoring.read(dir.getParent().resolve("runbook.md"));
        Map<String, String> sections = new LinkedHashMap<>();
        String[] parts = runbook.split("(?m)^## ");
        for (int i = 1; i < parts.length; i++) {
            int eol = parts[i].indexOf('\n');
            sections.put(parts[i].substring(0, eol).strip(), parts[i].substring(eol + 1));
        }
        assertThat(sections.keySet())
                .as("one runbook entry per alert, no stale ones")
                .containsExactlyInAnyOrderElementsOf(names);
        for (String name : names) {
            String body = sections.get(name);
            assertThat(body)
                    .as("runbook entry %s", name)
                    .contains("\n- Meaning: ", "\n- First check: ", "\n- Fix: ")
                    .contains("- Severity: ");
            assertThat(runbookUrls.get(name)).isEqualTo("docs/runbook.md#" + name.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
