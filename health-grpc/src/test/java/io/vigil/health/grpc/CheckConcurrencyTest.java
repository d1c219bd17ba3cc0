package io.vigil.health.grpc;

import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING;
import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Check under deadlines and load: the gRPC deadline wins over a longer check timeout; callers share one call. */
class CheckConcurrencyTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aDeadlineShorterThanTheCheckTimeoutIsAnsweredNotServingInTime(Transport transport) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build()) {
            health.register(
                    "slow-db",
                    () -> {
                        calls.incrementAndGet();
                        release.await(30, TimeUnit.SECONDS);
                        return CheckResult.up();
                    },
                    CheckPolicy.builder().timeout(Duration.ofSeconds(10)).build());
            try (VigilHealthService svc = VigilHealthService.of(health);
                    Transport.Served s = transport.serve(svc)) {
                // a connected channel, so that the deadline measures the evaluation, not the connection set-up
                assertThat(Probes.check(s.channel(), "liveness").status()).isEqualTo(SERVING);
                Probes.Reply first = Probes.check(s.channel(), "readiness", 2000);
                assertThat(first.error()).as("answered, not DEADLINE_EXCEEDED").isNull();
                assertThat(first.status()).isEqualTo(NOT_SERVING);
                assertThat(first.header(VigilHealthService.DIAGNOSTIC_HEADER))
                        .isEqualTo("health evaluation did not finish before the call's deadline");
                assertThat(first.header(VigilHealthService.OUTCOME_HEADER)).isNull();

                Probes.Reply second = Probes.check(s.channel(), "readiness", 1500);
                assertThat(second.status()).isEqualTo(NOT_SERVING);
                assertThat(calls)
                        .as("the second call joined the evaluation in progress")
                        .hasValue(1);

                release.countDown();
                org.awaitility.Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .until(() ->
                                Probes.check(s.channel(), "readiness", 2000).status() == SERVING);
                assertThat(calls).hasValue(1);
            } finally {
                release.countDown();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void withALongerDeadlineTheCheckTimeoutDecides(Transport transport) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build()) {
            health.register(
                    "hung",
                    () -> {
                        release.await(30, TimeUnit.SECONDS);
                        return CheckResult.up();
                    },
                    CheckPolicy.builder().timeout(Duration.ofMillis(200)).build());
            try (VigilHealthService svc = VigilHealthService.of(health);
                    Transport.Served s = transport.serve(svc)) {
                Probes.Reply r = Probes.check(s.channel(), "readiness", 10_000);
                assertThat(r.status()).isEqualTo(NOT_SERVING);
                assertThat(r.header(VigilHealthService.OUTCOME_HEADER)).isEqualTo("DOWN");
                assertThat(r.header(VigilHealthService.DIAGNOSTIC_HEADER))
                        .startsWith("Required check 'hung' timed out (since ");
            } finally {
                release.countDown();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twoHundredConcurrentChecksCauseOneCheckCall(Transport transport) throws Exception {
        int n = 200;
        CountDownLatch arrived = new CountDownLatch(n);
        AtomicInteger calls = new AtomicInteger();
        ServerInterceptor counting = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                arrived.countDown();
                return next.startCall(call, headers);
            }
        };
        try (HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build()) {
            health.register(
                    "db",
                    () -> {
                        calls.incrementAndGet();
                        // the one call holds until every request is in, so they all find it in flight
                        return arrived.await(20, TimeUnit.SECONDS)
                                ? CheckResult.up()
                                : CheckResult.down("not all arrived");
                    },
                    CheckPolicy.builder().timeout(Duration.ofSeconds(25)).build());
            try (VigilHealthService svc = VigilHealthService.of(health);
                    Transport.Served s = transport.serve(svc, counting)) {
                HealthGrpc.HealthFutureStub stub =
                        HealthGrpc.newFutureStub(s.channel()).withDeadlineAfter(30, TimeUnit.SECONDS);
                List<ListenableFuture<HealthCheckResponse>> replies = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    replies.add(stub.check(HealthCheckRequest.newBuilder()
                            .setService("readiness")
                            .build()));
                }
                for (ListenableFuture<HealthCheckResponse> f : replies) {
                    assertThat(f.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(SERVING);
                }
                assertThat(calls).hasValue(1);
            }
        }
    }
}
