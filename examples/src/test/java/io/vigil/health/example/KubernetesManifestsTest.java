package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vigil.health.TaskLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The manifests in {@code examples/k8s} fit the service they deploy. */
class KubernetesManifestsTest {
    /** The engine answers a probe at most this long after the check timeout (HealthRegistry's wait grace). */
    private static final Duration ENGINE_GRACE = Duration.ofMillis(250);

    private static final List<String> PROBES = List.of("startupProbe", "livenessProbe", "readinessProbe");

    private final Manifests manifests = Manifests.load();
    private final ExampleConfig config = ExampleConfig.fromEnvironment(manifests.configMapEnvironment());

    @Test
    void theKustomizationListsEveryManifest() {
        List<String> resources = new ArrayList<>();
        manifests.files().get("kustomization.yaml").path("resources").forEach(r -> resources.add(r.asText()));
        Set<String> files = new TreeSet<>(manifests.files().keySet());
        files.remove("kustomization.yaml");
        assertThat(resources).containsExactlyInAnyOrderElementsOf(files);
        assertThat(manifests.files().values().stream()
                        .map(d -> d.path("kind").asText())
                        .toList())
                .contains("Deployment", "Service", "ConfigMap", "PodDisruptionBudget", "Kustomization");
    }

    @Test
    void everyProbePathIsServedOnThePortItTargetsAndReachesTheRightProbe() {
        Map<String, String> env = new HashMap<>(manifests.configMapEnvironment());
        env.put("VIGIL_HTTP_PORT", "0");
        env.put("VIGIL_MANAGEMENT_PORT", "0");
        env.put("VIGIL_MIGRATION_SECONDS", "0");
        try (ExampleService service = ExampleService.start(ExampleConfig.fromEnvironment(env))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> service.health().isStarted());
            Map<Integer, Integer> ports =
                    Map.of(config.httpPort(), service.httpPort(), config.managementPort(), service.managementPort());
            Map<String, Integer> status = new HashMap<>();
            for (String probe : PROBES) {
                Kubelet.ProbeSpec p = manifests.probe(probe);
                assertThat(ports)
                        .as(probe + " targets a port the service listens on")
                        .containsKey(p.containerPort());
                assertThat(Http.status(ports.get(p.containerPort()), p.path()))
                        .as(probe + " " + p.path())
                        .isEqualTo(200);
            }
            // a lock fails readiness only; draining fails readiness only: liveness and startup must not follow
            try (TaskLock lock = service.health().lock("manifest-test", "checking which probe a path reaches")) {
                for (String probe : PROBES) {
                    Kubelet.ProbeSpec p = manifests.probe(probe);
                    status.put(probe, Http.status(ports.get(p.containerPort()), p.path()));
                }
                assertThat(lock.isHeld()).isTrue();
            }
            assertThat(status)
                    .containsEntry("readinessProbe", 423)
                    .containsEntry("livenessProbe", 200)
                    .containsEntry("startupProbe", 200);
            service.health().startDraining();
            Kubelet.ProbeSpec live = manifests.probe("livenessProbe");
            Kubelet.ProbeSpec ready = manifests.probe("readinessProbe");
            assertThat(Http.status(ports.get(ready.containerPort()), ready.path()))
                    .isEqualTo(503);
            assertThat(Http.status(ports.get(live.containerPort()), live.path()))
                    .isEqualTo(200);
        }
    }

    @Test
    void everyProbeTimeoutExceedsTheCheckTimeout() {
        for (String probe : PROBES) {
            Kubelet.ProbeSpec p = manifests.probe(probe);
            assertThat(Duration.ofSeconds(p.timeoutSeconds()))
                    .as(probe + " timeoutSeconds")
                    .isGreaterThan(config.checkTimeout().plus(ENGINE_GRACE));
        }
    }

    @Test
    void theStartupBudgetCoversTheMigrationAndThePodOutlivesItsDrain() {
        Kubelet.ProbeSpec startup = manifests.probe("startupProbe");
        assertThat(Duration.ofSeconds((long) startup.periodSeconds() * startup.failureThreshold()))
                .isGreaterThan(config.migration().plus(StartupMigration.LOCK_SLACK));
        JsonNode preStop = manifests
                .container()
                .path("lifecycle")
                .path("preStop")
                .path("exec")
                .path("command");
        assertThat(preStop.get(0).asText()).isEqualTo("sleep");
        long preStopSeconds = preStop.get(1).asLong();
        long grace = manifests.podSpec().path("terminationGracePeriodSeconds").asLong(30);
        assertThat(grace)
                .isGreaterThan(
                        preStopSeconds + config.drainTimeout().toSeconds() + ExampleService.STOP_TIMEOUT.toSeconds());
        Kubelet.ProbeSpec live = manifests.probe("livenessProbe");
        Kubelet.ProbeSpec ready = manifests.probe("readinessProbe");
        assertThat(live.periodSeconds() * live.failureThreshold())
                .as("readiness reacts before liveness")
                .isGreaterThan(ready.periodSeconds() * ready.failureThreshold());
        assertThat(live.successThreshold()).as("kubelet requires 1").isEqualTo(1);
        assertThat(startup.successThreshold()).as("kubelet requires 1").isEqualTo(1);
    }

    @Test
    void theConfigMapHoldsOnlyKnownSettingsAndNoSecrets() {
        Map<String, String> env = manifests.configMapEnvironment();
        assertThat(ExampleConfig.NAMES).containsAll(env.keySet());
        assertThat(env).doesNotContainKeys("VIGIL_DB_PASSWORD", "VIGIL_ADMIN_TOKEN");
        List<String> fromSecrets = new ArrayList<>();
        for (JsonNode e : manifests.container().path("env")) {
            assertThat(ExampleConfig.NAMES).contains(e.path("name").asText());
            if (!e.path("valueFrom").path("secretKeyRef").isMissingNode()) {
                fromSecrets.add(e.path("name").asText());
            }
        }
        assertThat(fromSecrets).containsExactlyInAnyOrder("VIGIL_DB_PASSWORD", "VIGIL_ADMIN_TOKEN");
        assertThat(manifests
                        .container()
                        .path("envFrom")
                        .get(0)
                        .path("configMapRef")
                        .path("name")
                        .asText())
                .isEqualTo(
                        manifests.one("ConfigMap").path("metadata").path("name").asText());
    }

    @Test
    void portsLabelsAndSelectorsFitTogether() {
        JsonNode labels = manifests
                .one("Deployment")
                .path("spec")
                .path("template")
                .path("metadata")
                .path("labels");
        for (String kind : List.of("Service", "PodDisruptionBudget")) {
            JsonNode doc = manifests.one(kind);
            JsonNode selector = kind.equals("Service")
                    ? doc.path("spec").path("selector")
                    : doc.path("spec").path("selector").path("matchLabels");
            selector.properties()
                    .forEach(e -> assertThat(labels.path(e.getKey()).asText())
                            .as(kind + " selector")
                            .isEqualTo(e.getValue().asText()));
        }
        assertThat(manifests.one("Deployment").path("spec").path("selector").path("matchLabels"))
                .isEqualTo(labels);
        for (JsonNode p : manifests.one("Service").path("spec").path("ports")) {
            assertThat(manifests.containerPort(p.path("targetPort").asText())).isEqualTo(config.httpPort());
        }
        assertThat(manifests.containerPort("http")).isEqualTo(config.httpPort());
        assertThat(manifests.containerPort("management")).isEqualTo(config.managementPort());
        JsonNode annotations = manifests
                .one("Deployment")
                .path("spec")
                .path("template")
                .path("metadata")
                .path("annotations");
        assertThat(annotations.path("prometheus.io/port").asInt()).isEqualTo(config.managementPort());
        assertThat(annotations.path("prometheus.io/path").asText()).isEqualTo("/metrics");
    }
}
