package io.vigil.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.TaskLock;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.server.JdkHealthServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes' {@code grpc:} probes behave like its {@code httpGet:} probes on the same registry, through a start-up
 * migration, a dependency outage, a hung dependency and a drain. The gRPC prober follows kubelet's rules: a new
 * connection per probe, the configured {@code service} in the request, the probe timeout as the deadline, and
 * success only for {@code SERVING}; any error, another status or a timeout is a failure. The HTTP prober counts
 * 200-399 as success, anything else or a timeout as failure.
 */
class KubeletGrpcProbeTest {
    /** timeoutSeconds: generous, so that a loaded test machine never fails a probe that should pass. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** timeoutSeconds of the hung-dependency step: shorter than the check timeout, which is what is tested. */
    private static final Duration SHORT_TIMEOUT = Duration.ofSeconds(2);

    private static final Map<String, String> HTTP_PATHS =
            Map.of("liveness", "/health/live", "readiness", "/health/ready", "startup", "/health/started");

    enum Result {
        SUCCESS,
        FAILURE
    }

    /** One kubelet gRPC probe. */
    static Result grpcProbe(int port, String service, Duration timeout) throws InterruptedException {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", port, InsecureChannelCredentials.create())
                .userAgent("kube-probe/1.34")
                .build();
        try {
            HealthCheckResponse r = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build());
            return r.getStatus() == ServingStatus.SERVING ? Result.SUCCESS : Result.FAILURE;
        } catch (StatusRuntimeException e) {
            return Result.FAILURE; // DEADLINE_EXCEEDED, UNIMPLEMENTED, UNAVAILABLE, NOT_FOUND ...
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One kubelet HTTP probe. */
    static Result httpProbe(HttpClient client, int port, String probe, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + HTTP_PATHS.get(probe)))
                .timeout(timeout)
                .header("User-Agent", "kube-probe/1.34")
                .build();
        try {
            int code = client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode();
            return code >= 200 && code < 400 ? Result.SUCCESS : Result.FAILURE;
        } catch (HttpTimeoutException e) {
            return Result.FAILURE;
        }
    }

    @Test
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    void grpcProbesAgreeWithHttpProbesThroughMigrationOutageHangAndDrain() throws Exception {
        AtomicReference<CheckResult> db = new AtomicReference<>(CheckResult.up());
        AtomicReference<CountDownLatch> hang = new AtomicReference<>();
        HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
        try (HealthRegistry health =
                HealthRegistry.builder().logTransitions(false).build()) {
            health.register(
                    "db",
                    () -> {
                        CountDownLatch h = hang.get();
                        if (h != null) {
                            h.await(30, TimeUnit.SECONDS);
                        }
                        return db.get();
                    },
                    CheckPolicy.builder()
                            .cacheTtl(Duration.ZERO)
                            .timeout(Duration.ofSeconds(20))
                            .build());
            try (VigilHealthService svc = VigilHealthService.of(health);
                    Transport.Served grpc = Transport.NETTY.serve(svc);
                    JdkHealthServer web = JdkHealthServer.builder(
                                    HealthHandler.builder(health).build())
                            .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                            .start()) {
                int grpcPort = grpc.server().getPort();
                int httpPort = web.port();
                record Expect(Result liveness, Result readiness, Result startup) {}
                var step = new Object() {
                    void probes(String when, Expect expected) throws Exception {
                        for (String probe : new String[] {"liveness", "readiness", "startup"}) {
                            Result want = switch (probe) {
                                case "liveness" -> expected.liveness();
                                case "readiness" -> expected.readiness();
                                default -> expected.startup();
                            };
                            assertThat(grpcProbe(grpcPort, probe, PROBE_TIMEOUT))
                                    .as(when + ": grpc " + probe)
                                    .isEqualTo(want);
                            assertThat(httpProbe(http, httpPort, probe, PROBE_TIMEOUT))
                                    .as(when + ": http " + probe)
                                    .isEqualTo(want);
                        }
                    }
                };

                try (TaskLock migration = health.lock("schema-migration", "Migrating schema to v42")) {
                    step.probes("migrating", new Expect(Result.SUCCESS, Result.FAILURE, Result.FAILURE));
                }
                step.probes("migrated, not yet started", new Expect(Result.SUCCESS, Result.FAILURE, Result.FAILURE));
                health.markStarted();
                step.probes("started", new Expect(Result.SUCCESS, Result.SUCCESS, Result.SUCCESS));

                db.set(CheckResult.down("connection refused"));
                step.probes("database down", new Expect(Result.SUCCESS, Result.FAILURE, Result.SUCCESS));
                db.set(CheckResult.up());
                step.probes("database back", new Expect(Result.SUCCESS, Result.SUCCESS, Result.SUCCESS));

                CountDownLatch h = new CountDownLatch(1);
                hang.set(h);
                try {
                    assertThat(grpcProbe(grpcPort, "readiness", SHORT_TIMEOUT))
                            .as("hung database: grpc")
                            .isEqualTo(Result.FAILURE);
                    assertThat(httpProbe(http, httpPort, "readiness", SHORT_TIMEOUT))
                            .as("hung database: http")
                            .isEqualTo(Result.FAILURE);
                    assertThat(grpcProbe(grpcPort, "liveness", PROBE_TIMEOUT))
                            .as("hung database: grpc liveness")
                            .isEqualTo(Result.SUCCESS);
                } finally {
                    hang.set(null);
                    h.countDown();
                }

                health.startDraining();
                step.probes("draining", new Expect(Result.SUCCESS, Result.FAILURE, Result.SUCCESS));
            }
        }
    }
}
