package io.vigil.health.grpc;

import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING;
import static io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING;
import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every row of the outcome → serving-status mapping, on both transports, with the headers for people. */
class CheckMappingTest {

    private static HealthRegistry.Builder registry() {
        return HealthRegistry.builder().logTransitions(false);
    }

    private static Probes.Reply checkOnce(Transport transport, HealthRegistry health, String service) throws Exception {
        try (VigilHealthService svc = VigilHealthService.builder(health)
                        .alias("orders.v1.OrderService", Probe.READINESS)
                        .groupAlias("payments", "payment")
                        .build();
                Transport.Served s = transport.serve(svc)) {
            return Probes.check(s.channel(), service);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void allUpIsServingOnEveryBuiltInName(Transport transport) throws Exception {
        try (HealthRegistry health = registry().startedImmediately().build()) {
            health.register("db", CheckResult::up);
            health.register(
                    "disk",
                    CheckResult::up,
                    CheckPolicy.builder()
                            .probes(Probe.LIVENESS)
                            .groups("payment")
                            .build());
            for (String name : new String[] {
                "", "readiness", "liveness", "startup", "group/payment", "orders.v1.OrderService", "payments"
            }) {
                Probes.Reply r = checkOnce(transport, health, name);
                assertThat(r.status()).as(name).isEqualTo(SERVING);
                assertThat(r.header(VigilHealthService.OUTCOME_HEADER)).as(name).isEqualTo("UP");
                assertThat(r.header(VigilHealthService.HTTP_STATUS_HEADER))
                        .as(name)
                        .isEqualTo("200");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void degradedIsServing(Transport transport) throws Exception {
        try (HealthRegistry health = registry().startedImmediately().build()) {
            health.register(
                    "cache",
                    () -> CheckResult.down("no answer"),
                    CheckPolicy.builder().optional().build());
            Probes.Reply r = checkOnce(transport, health, "readiness");
            assertThat(r.status()).isEqualTo(SERVING);
            assertThat(r.header(VigilHealthService.OUTCOME_HEADER)).isEqualTo("DEGRADED");
            assertThat(r.header(VigilHealthService.DIAGNOSTIC_HEADER))
                    .startsWith("Optional check 'cache' is DOWN (since ");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    void lockedReadinessIsNotServingWhileLivenessServes(Transport transport) throws Exception {
        try (HealthRegistry health = registry().startedImmediately().build();
                TaskLock lock = health.lock("schema-migration", "Migrating schema to v42")) {
            Probes.Reply r = checkOnce(transport, health, "readiness");
            assertThat(r.status()).isEqualTo(NOT_SERVING);
            assertThat(r.header(VigilHealthService.OUTCOME_HEADER)).isEqualTo("LOCKED");
            assertThat(r.header(VigilHealthService.HTTP_STATUS_HEADER)).isEqualTo("423");
            assertThat(r.header(VigilHealthService.DIAGNOSTIC_HEADER))
                    .startsWith("Locked by task 'schema-migration' since ")
                    .doesNotContain("v42"); // the description is a detail
            assertThat(checkOnce(transport, health, "liveness").status()).isEqualTo(SERVING);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void invalidLicenseIsNotServing(Transport transport) throws Exception {
        try (HealthRegistry health = registry()
                .startedImmediately()
                .license(() -> LicenseState.invalid("signature does not match"))
                .build()) {
            Probes.Reply r = checkOnce(transport, health, "readiness");
            assertThat(r.status()).isEqualTo(NOT_SERVING);
            assertThat(r.header(VigilHealthService.OUTCOME_HEADER)).isEqualTo("LICENSE_INVALID");
            assertThat(r.header(VigilHealthService.HTTP_STATUS_HEADER)).isEqualTo("402");
            assertThat(r.header(VigilHealthService.DIAGNOSTIC_HEADER)).isEqualTo("The license is invalid");
            assertThat(checkOnce(transport, health, "liveness").status()).isEqualTo(NOT_SERVING);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void requiredCheckDownIsNotServing(Transport transport) throws Exception {
        try (HealthRegistry health = registry().startedImmediately().build()) {
            health.register("db", () -> CheckResult.down("connection refused"));
            Probes.Reply r = checkOnce(transport, health, "");
            assertThat(r.status()).isEqualTo(NOT_SERVING);
            assertThat(r.header(VigilHealthService.OUTCOME_HEADER)).isEqualTo("DOWN");
            assertThat(r.header(VigilHealthService.HTTP_STATUS_HEADER)).isEqualTo("503");
            assertThat(r.header(VigilHealthService.DIAGNOSTIC_HEADER))
                    .startsWith("Required check 'db' is DOWN (since ");
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void notStartedIsNotServingUntilMarkedStarted(Transport transport) throws Exception {
        try (HealthRegistry health = registry().build()) {
            health.register("db", CheckResult::up);
            assertThat(checkOnce(transport, health, "readiness").header(VigilHealthService.DIAGNOSTIC_HEADER))
                    .isEqualTo("The application has not finished starting");
            assertThat(checkOnce(transport, health, "readiness").status()).isEqualTo(NOT_SERVING);
            assertThat(checkOnce(transport, health, "startup").status()).isEqualTo(NOT_SERVING);
            assertThat(checkOnce(transport, health, "liveness").status()).isEqualTo(SERVING);
            health.markStarted();
            assertThat(checkOnce(transport, health, "readiness").status()).isEqualTo(SERVING);
            assertThat(checkOnce(transport, health, "startup").status()).isEqualTo(SERVING);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void drainingIsNotServingWhileLivenessServes(Transport transport) throws Exception {
        try (HealthRegistry health = registry().startedImmediately().build()) {
            health.register("db", CheckResult::up);
            health.startDraining();
            Probes.Reply r = checkOnce(transport, health, "readiness");
            assertThat(r.status()).isEqualTo(NOT_SERVING);
            assertThat(r.header(VigilHealthService.DIAGNOSTIC_HEADER))
                    .isEqualTo("The application is shutting down (draining)");
            assertThat(checkOnce(transport, health, "").status()).isEqualTo(NOT_SERVING);
            assertThat(checkOnce(transport, health, "liveness").status()).isEqualTo(SERVING);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void machineryFailureIsNotServingWithOutcomeError(Transport transport) throws Exception {
        AtomicReference<Probes.Reply> reply = new AtomicReference<>();
        try (HealthRegistry health = registry().startedImmediately().build()) {
            // an executor that refuses work stands for an engine that cannot evaluate
            try (VigilHealthService svc = VigilHealthService.builder(health)
                            .executor(r -> {
                                throw new java.util.concurrent.RejectedExecutionException("full");
                            })
                            .build();
                    Transport.Served s = transport.serve(svc)) {
                reply.set(Probes.check(s.channel(), "readiness"));
            }
        }
        assertThat(reply.get().status()).isEqualTo(NOT_SERVING);
        assertThat(reply.get().header(VigilHealthService.OUTCOME_HEADER)).isEqualTo("ERROR");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownNamesAreNotFound(Transport transport) throws Exception {
        try (HealthRegistry health = registry().startedImmediately().build()) {
            health.register("db", CheckResult::up);
            for (String name :
                    new String[] {"orders.v2.Unknown", "group/none", "group/", "payments", "READINESS", "x".repeat(2000)
                    }) {
                Probes.Reply r = checkOnce(transport, health, name);
                assertThat(r.error()).as(name).isEqualTo(Status.Code.NOT_FOUND);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void nonAsciiDiagnosticsArePercentEncoded(Transport transport) throws Exception {
        try (HealthRegistry health = registry().startedImmediately().build()) {
            health.register("dépôt", () -> CheckResult.down("x"));
            Probes.Reply r = checkOnce(transport, health, "readiness");
            assertThat(r.header(VigilHealthService.DIAGNOSTIC_HEADER))
                    .startsWith("Required check 'd%C3%A9p%C3%B4t' is DOWN (since ");
        }
    }
}
