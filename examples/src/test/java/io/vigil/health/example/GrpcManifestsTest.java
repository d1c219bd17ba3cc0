package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.vigil.health.TaskLock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The overlay {@code examples/k8s/grpc} turns the three probes into {@code grpc:} probes on {@code VIGIL_GRPC_PORT},
 * and each asks the example's gRPC health service for the probe it stands for, with kubelet's rule (only
 * {@code SERVING} succeeds; the probe's {@code timeoutSeconds} is the deadline).
 */
class GrpcManifestsTest {
    private static final Path DIR = Manifests.DIR.resolve("grpc");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> PROBES = List.of("startupProbe", "livenessProbe", "readinessProbe");

    private final Manifests base = Manifests.load();

    private static JsonNode read(String file) throws IOException {
        return YAML.readTree(DIR.resolve(file).toFile());
    }

    @Test
    void theOverlayPatchesEveryProbeToGrpcOnTheConfiguredPort() throws IOException {
        JsonNode kustomization = read("kustomization.yaml");
        List<String> patches = new ArrayList<>();
        kustomization.path("patches").forEach(p -> patches.add(p.path("path").asText()));
        assertThat(patches).containsExactlyInAnyOrder("configmap-grpc.yaml", "deployment-grpc.yaml");
        assertThat(kustomization.path("resources").get(0).asText()).isEqualTo("../");

        JsonNode configMap = read("configmap-grpc.yaml");
        assertThat(configMap.path("metadata").path("name").asText())
                .isEqualTo(base.one("ConfigMap").path("metadata").path("name").asText());
        int grpcPort = configMap.path("data").path("VIGIL_GRPC_PORT").asInt();
        JsonNode container = read("deployment-grpc.yaml")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        assertThat(container.path("name").asText())
                .isEqualTo(base.container().path("name").asText());
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(grpcPort);
        for (String probe : PROBES) {
            JsonNode p = container.path(probe);
            assertThat(p.has("httpGet") && p.path("httpGet").isNull())
                    .as(probe + " drops httpGet")
                    .isTrue();
            assertThat(p.path("grpc").path("port").asInt()).as(probe + " port").isEqualTo(grpcPort);
        }
    }

    @Test
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    void eachGrpcProbeReachesItsProbeThroughALockAndADrainAndTheShutdownEndsWatchStreams() throws Exception {
        JsonNode container = read("deployment-grpc.yaml")
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0);
        Map<String, String> service = new HashMap<>();
        Map<String, Integer> timeout = new HashMap<>();
        for (String probe : PROBES) {
            service.put(
                    probe, container.path(probe).path("grpc").path("service").asText());
            timeout.put(probe, base.probe(probe).timeoutSeconds());
        }
        Map<String, String> env = new HashMap<>(base.configMapEnvironment());
        env.putAll(Map.of(
                "VIGIL_HTTP_PORT",
                "0",
                "VIGIL_MANAGEMENT_PORT",
                "0",
                "VIGIL_MIGRATION_SECONDS",
                "0",
                "VIGIL_GRPC_PORT",
                "0"));
        try (ExampleService app = ExampleService.start(ExampleConfig.fromEnvironment(env))) {
            ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                            "127.0.0.1", app.grpcPort(), InsecureChannelCredentials.create())
                    .userAgent("kube-probe/1.34")
                    .build();
            try {
                var kubelet = new Object() {
                    boolean succeeds(String probe) {
                        try {
                            return HealthGrpc.newBlockingStub(channel)
                                            .withDeadlineAfter(timeout.get(probe), TimeUnit.SECONDS)
                                            .check(HealthCheckRequest.newBuilder()
                                                    .setService(service.get(probe))
                                                    .build())
                                            .getStatus()
                                    == ServingStatus.SERVING;
                        } catch (StatusRuntimeException e) {
                            return false;
                        }
                    }
                };
                await().atMost(Duration.ofSeconds(30)).until(() -> app.health().isStarted());
                for (String probe : PROBES) {
                    assertThat(kubelet.succeeds(probe))
                            .as(probe + " once started")
                            .isTrue();
                }
                try (TaskLock lock = app.health().lock("manifest-test", "checking which probe a service reaches")) {
                    assertThat(kubelet.succeeds("readinessProbe"))
                            .as("readiness during a lock")
                            .isFalse();
                    assertThat(kubelet.succeeds("livenessProbe"))
                            .as("liveness during a lock")
                            .isTrue();
                    assertThat(kubelet.succeeds("startupProbe"))
                            .as("startup during a lock")
                            .isTrue();
                }
                // a load balancer's Watch stream: NOT_SERVING as soon as the drain begins, ended by the shutdown
                BlockingQueue<ServingStatus> watched = new LinkedBlockingQueue<>();
                CompletableFuture<Status> watchEnd = new CompletableFuture<>();
                HealthGrpc.newStub(channel)
                        .watch(
                                HealthCheckRequest.newBuilder()
                                        .setService("readiness")
                                        .build(),
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(HealthCheckResponse value) {
                                        watched.add(value.getStatus());
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        watchEnd.complete(Status.fromThrowable(t));
                                    }

                                    @Override
                                    public void onCompleted() {
                                        watchEnd.complete(Status.OK);
                                    }
                                });
                assertThat(watched.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.SERVING);
                app.health().startDraining();
                assertThat(watched.poll(10, TimeUnit.SECONDS)).isEqualTo(ServingStatus.NOT_SERVING);
                assertThat(kubelet.succeeds("readinessProbe"))
                        .as("readiness while draining")
                        .isFalse();
                assertThat(kubelet.succeeds("livenessProbe"))
                        .as("liveness while draining")
                        .isTrue();
                app.shutdown();
                assertThat(watchEnd.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(app.awaitTermination(Duration.ZERO)).isTrue();
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }
}
