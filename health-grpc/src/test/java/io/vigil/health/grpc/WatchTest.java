package io.vigil.health.grpc;

import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING;
import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVICE_UNKNOWN;
import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.TaskLock;
import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Watch: the current status at once, then only changes; drain, shutdown, unknown services, slow and many watchers. */
class WatchTest {
    private static final Duration NEVER = Duration.ofHours(1); // rounds only when a test or an engine event asks

    private static HealthRegistry started() {
        return HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    void theCurrentStatusComesAtOnceThenOnlyChanges(Transport transport) throws Exception {
        AtomicReference<CheckResult> db = new AtomicReference<>(CheckResult.up());
        AtomicInteger calls = new AtomicInteger();
        try (HealthRegistry health = started()) {
            health.register(
                    "db",
                    () -> {
                        calls.incrementAndGet();
                        return db.get();
                    },
                    CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
            try (VigilHealthService svc = VigilHealthService.builder(health)
                            .watchPeriod(Duration.ofMillis(20))
                            .build();
                    Transport.Served s = transport.serve(svc)) {
                Watcher w = Watcher.watch(s.channel(), "readiness");
                assertThat(w.next()).isEqualTo(SERVING);
                assertThat(w.headers.get().get(VigilHealthService.OUTCOME_HEADER))
                        .isEqualTo("UP");

                int seen = calls.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= seen + 5); // five rounds
                assertThat(w.received).as("no message while nothing changes").isEmpty();

                db.set(CheckResult.down("connection refused")); // nobody else evaluates: the period finds it
                assertThat(w.next()).isEqualTo(NOT_SERVING);
                db.set(CheckResult.up());
                assertThat(w.next()).isEqualTo(SERVING);
                try (TaskLock lock = health.lock("reindex", "Rebuilding the search index")) {
                    assertThat(w.next()).isEqualTo(NOT_SERVING);
                }
                assertThat(w.next()).isEqualTo(SERVING);
                assertThat(w.end).isNotDone();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drainingSendsNotServingAtOnceWhileLivenessStaysServing(Transport transport) throws Exception {
        try (HealthRegistry health = started()) {
            health.register("db", CheckResult::up);
            for (Probe p : Probe.values()) { // first transitions happen before the service listens
                health.evaluate(p);
            }
            health.evaluate(Scope.all(), java.util.Set.of());
            try (VigilHealthService svc = VigilHealthService.builder(health)
                            .watchPeriod(NEVER)
                            .build();
                    Transport.Served s = transport.serve(svc)) {
                Watcher ready = Watcher.watch(s.channel(), "readiness");
                Watcher server = Watcher.watch(s.channel(), "");
                Watcher live = Watcher.watch(s.channel(), "liveness");
                assertThat(ready.next()).isEqualTo(SERVING);
                assertThat(server.next()).isEqualTo(SERVING);
                assertThat(live.next()).isEqualTo(SERVING);

                health.startDraining(); // with a one-hour period, only the draining event can tell them

                assertThat(ready.next()).isEqualTo(NOT_SERVING);
                assertThat(server.next()).isEqualTo(NOT_SERVING);
                svc.reevaluateWatched().get(10, TimeUnit.SECONDS);
                assertThat(live.received).isEmpty();
                assertThat(Probes.check(s.channel(), "liveness").status()).isEqualTo(SERVING);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void markingTheApplicationStartedSendsServingAtOnce(Transport transport) throws Exception {
        try (HealthRegistry health =
                HealthRegistry.builder().logTransitions(false).build()) {
            health.register("db", CheckResult::up);
            health.evaluate(Probe.READINESS); // its transitions happen before the service listens
            try (VigilHealthService svc = VigilHealthService.builder(health)
                            .watchPeriod(NEVER)
                            .build();
                    Transport.Served s = transport.serve(svc)) {
                Watcher ready = Watcher.watch(s.channel(), "readiness");
                assertThat(ready.next()).isEqualTo(NOT_SERVING);
                assertThat(ready.headers.get().get(VigilHealthService.DIAGNOSTIC_HEADER))
                        .isEqualTo("The application has not finished starting");

                health.markStarted(); // with a one-hour period, only the start event can tell the watcher

                assertThat(ready.next()).isEqualTo(SERVING);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void openStreamsHoldTheServerShutdownUntilTheServiceClosesThemAtOnce(Transport transport) throws Exception {
        try (HealthRegistry health = started()) {
            health.register("db", CheckResult::up);
            VigilHealthService svc =
                    VigilHealthService.builder(health).watchPeriod(NEVER).build();
            try (Transport.Served s = transport.serve(svc)) {
                List<Watcher> watchers = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    watchers.add(Watcher.watch(s.channel(), i % 2 == 0 ? "readiness" : "liveness"));
                }
                for (Watcher w : watchers) {
                    assertThat(w.next()).isEqualTo(SERVING);
                }
                s.server().shutdown();
                assertThat(s.server().awaitTermination(300, TimeUnit.MILLISECONDS))
                        .as("open Watch streams keep a server from terminating")
                        .isFalse();

                svc.close();

                assertThat(s.server().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                for (Watcher w : watchers) {
                    assertThat(w.next()).isEqualTo(NOT_SERVING);
                    assertThat(w.ended().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void afterCloseNewCallsAreUnavailable(Transport transport) throws Exception {
        try (HealthRegistry health = started()) {
            VigilHealthService svc = VigilHealthService.of(health);
            try (Transport.Served s = transport.serve(svc)) {
                svc.close();
                assertThat(Watcher.watch(s.channel(), "readiness").ended().getCode())
                        .isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(Probes.check(s.channel(), "readiness").error()).isEqualTo(Status.Code.UNAVAILABLE);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anUnknownServiceIsServiceUnknownAndStaysOpenUntilItAppears(Transport transport) throws Exception {
        try (HealthRegistry health = started()) {
            try (VigilHealthService svc = VigilHealthService.builder(health)
                            .watchPeriod(NEVER)
                            .groupAlias("payments.v1.PaymentService", "payment")
                            .build();
                    Transport.Served s = transport.serve(svc)) {
                Watcher group = Watcher.watch(s.channel(), "group/payment");
                Watcher alias = Watcher.watch(s.channel(), "payments.v1.PaymentService");
                Watcher never = Watcher.watch(s.channel(), "no.such.Service");
                assertThat(group.next()).isEqualTo(SERVICE_UNKNOWN);
                assertThat(alias.next()).isEqualTo(SERVICE_UNKNOWN);
                assertThat(never.next()).isEqualTo(SERVICE_UNKNOWN);

                health.register(
                        "psp",
                        CheckResult::up,
                        CheckPolicy.builder().noProbes().groups("payment").build());
                svc.reevaluateWatched().get(10, TimeUnit.SECONDS);
                assertThat(group.next()).isEqualTo(SERVING);
                assertThat(alias.next()).isEqualTo(SERVING);

                health.unregister("psp");
                svc.reevaluateWatched().get(10, TimeUnit.SECONDS);
                assertThat(group.next()).isEqualTo(SERVICE_UNKNOWN);
                assertThat(never.received).as("only changes are sent").isEmpty();
                assertThat(never.end).isNotDone();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aHundredWatchersOfOneServiceCostOneEvaluationPerRound(Transport transport) throws Exception {
        AtomicReference<CheckResult> db = new AtomicReference<>(CheckResult.up());
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger readinessEvaluations = new AtomicInteger();
        try (HealthRegistry health = started()) {
            health.register(
                    "db",
                    () -> {
                        calls.incrementAndGet();
                        return db.get();
                    },
                    CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
            health.evaluate(Probe.READINESS); // the first result's transitions happen before anyone watches
            health.addListener(new HealthListener() {
                @Override
                public void onProbeEvaluated(HealthReport report, Duration took) {
                    if (report.scope().equals(Scope.of(Probe.READINESS))) {
                        readinessEvaluations.incrementAndGet();
                    }
                }
            });
            try (VigilHealthService svc = VigilHealthService.builder(health)
                            .watchPeriod(NEVER)
                            .build();
                    Transport.Served s = transport.serve(svc)) {
                List<Watcher> watchers = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    watchers.add(Watcher.watch(s.channel(), "readiness"));
                }
                for (Watcher w : watchers) {
                    assertThat(w.next()).isEqualTo(SERVING);
                }
                svc.reevaluateWatched().get(10, TimeUnit.SECONDS); // joins whatever the arrivals started
                assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue(); // listeners hear shortly after
                int checkCalls = calls.get();
                int evaluations = readinessEvaluations.get();

                for (int round = 0; round < 5; round++) {
                    svc.reevaluateWatched().get(10, TimeUnit.SECONDS);
                }

                assertThat(calls.get() - checkCalls).isEqualTo(5);
                assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
                assertThat(readinessEvaluations.get() - evaluations).isEqualTo(5);
                db.set(CheckResult.down("connection refused"));
                svc.reevaluateWatched().get(10, TimeUnit.SECONDS);
                for (Watcher w : watchers) {
                    assertThat(w.next()).isEqualTo(NOT_SERVING);
                    assertThat(w.received).isEmpty();
                }
            }
        }
    }

    /**
     * In-process only: its flow control counts messages the client asked for, so a client that asks for none is
     * deterministically "not ready" (Netty counts bytes in a 64 KiB window, which a few tiny messages never fill).
     */
    @Test
    @SuppressWarnings("try") // closes the resource inside its block on purpose: what happens then is the test
    void aSlowWatcherGetsOnlyTheLatestStatusAndHoldsNobodyElse() throws Exception {
        try (HealthRegistry health = started()) {
            health.register("db", CheckResult::up);
            try (VigilHealthService svc = VigilHealthService.builder(health)
                            .watchPeriod(NEVER)
                            .build();
                    Transport.Served s = Transport.IN_PROCESS.serve(svc)) {
                BlockingQueue<ServingStatus> slow = new LinkedBlockingQueue<>();
                java.util.concurrent.CompletableFuture<Status> slowEnd = new java.util.concurrent.CompletableFuture<>();
                ClientCall<HealthCheckRequest, HealthCheckResponse> call =
                        s.channel().newCall(HealthGrpc.getWatchMethod(), CallOptions.DEFAULT);
                call.start(
                        new ClientCall.Listener<>() {
                            @Override
                            public void onMessage(HealthCheckResponse message) {
                                slow.add(message.getStatus());
                            }

                            @Override
                            public void onClose(Status status, Metadata trailers) {
                                slowEnd.complete(status);
                            }
                        },
                        new Metadata());
                call.sendMessage(
                        HealthCheckRequest.newBuilder().setService("readiness").build());
                call.halfClose();
                call.request(1);
                assertThat(slow.poll(10, TimeUnit.SECONDS)).isEqualTo(SERVING);

                Watcher fast = Watcher.watch(s.channel(), "readiness");
                assertThat(fast.next()).isEqualTo(SERVING);
                List<TaskLock> held = new ArrayList<>();
                for (int i = 0; i < 5; i++) { // nine changes, ending NOT_SERVING
                    TaskLock lock = health.lock("reindex", "Rebuilding the search index");
                    assertThat(fast.next()).isEqualTo(NOT_SERVING);
                    if (i < 4) {
                        lock.close();
                        assertThat(fast.next()).isEqualTo(SERVING);
                    } else {
                        held.add(lock);
                    }
                }
                assertThat(slow)
                        .as("nothing reaches a client that asked for nothing")
                        .isEmpty();

                call.request(100);
                assertThat(slow.poll(10, TimeUnit.SECONDS))
                        .as("the latest status")
                        .isEqualTo(NOT_SERVING);
                svc.close(); // the stream ends: whatever the server still buffered for it arrives before the close
                assertThat(slowEnd.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                assertThat(slow)
                        .as("one slot, not a backlog of the nine changes")
                        .isEmpty();
                held.forEach(TaskLock::close);
            }
        }
    }
}
