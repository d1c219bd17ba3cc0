package io.vigil.health.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AdapterTest {
    private final MicroProfileHealth health =
            MicroProfileHealth.builder().defaultProcedures(false).build();

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void qualifiersChooseTheProbesAndSeveralAreAllowed() {
        health.register(new Checks.Everywhere());
        health.register(new Checks.Warmup());
        health.markStarted();

        assertThat(Json.get(health.handler(), "/health/live").checkNames()).containsExactly("everywhere");
        assertThat(Json.get(health.handler(), "/health/ready").checkNames()).containsExactly("everywhere");
        assertThat(Json.get(health.handler(), "/health/started").checkNames()).containsExactly("warmup");
        assertThat(Json.get(health.handler(), "/health").checkNames()).containsExactly("everywhere", "warmup");
    }

    @Test
    void theResponseMapsToExactlyTheMicroProfileSchemaWithItsDataKept() {
        health.register(new Checks.Everywhere());
        health.markStarted();

        Json.Answer a = Json.get(health.handler(), "/health/ready");

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.topLevelFields()).containsExactly("status", "checks");
        assertThat(a.body().get("status").asText()).isEqualTo("UP");
        assertThat(a.check("everywhere").toString())
                .isEqualTo("{\"name\":\"everywhere\",\"status\":\"UP\",\"data\":{\"region\":\"eu-1\",\"nodes\":3}}");
    }

    @Test
    void aCheckThatThrowsIsDownNamedAfterItsClassWithoutItsMessage() {
        health.register(new Checks.Throwing());
        health.markStarted();

        Json.Answer a = Json.get(health.handler(), "/health/ready");

        assertThat(a.status()).isEqualTo(503);
        assertThat(a.body().get("status").asText()).isEqualTo("DOWN");
        assertThat(a.check(Checks.Throwing.class.getName()).toString())
                .isEqualTo("{\"name\":\"" + Checks.Throwing.class.getName() + "\",\"status\":\"DOWN\"}");
    }

    @Test
    void aNullResponseIsDownNamedAfterTheClass() {
        health.register(new Checks.ReturnsNull());
        health.markStarted();

        Json.Answer a = Json.get(health.handler(), "/health/ready");

        assertThat(a.status()).isEqualTo(503);
        assertThat(a.check(Checks.ReturnsNull.class.getName()).get("status").asText())
                .isEqualTo("DOWN");
    }

    @Test
    void twoInstancesOfOneClassAreBothRegisteredAndBothShowTheirResponseName() {
        String first = health.register(new Checks.Everywhere());
        String second = health.register(new Checks.Everywhere());
        health.markStarted();

        assertThat(first).isEqualTo(Checks.Everywhere.class.getName());
        assertThat(second).isEqualTo(Checks.Everywhere.class.getName() + "#2");
        assertThat(Json.get(health.handler(), "/health/live").checkNames()).containsExactly("everywhere", "everywhere");
    }

    @Test
    void aCheckWithoutQualifiersNeedsItsProbesNamed() {
        assertThatThrownBy(() -> health.register(new Checks.Unqualified()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("@Liveness");

        health.register(new Checks.Unqualified(), Probe.LIVENESS);
        health.markStarted();
        assertThat(Json.get(health.handler(), "/health/live").checkNames()).containsExactly("unqualified");
    }

    @Test
    void anyVigilRegistryRunsMicroProfileChecksAndItsOwnJsonShowsTheRegisteredName() {
        try (HealthRegistry registry =
                HealthRegistry.builder().startedImmediately().build()) {
            String name = MicroProfileChecks.register(registry, new Checks.Everywhere());
            MicroProfileChecks.register(
                    registry,
                    new Checks.Unqualified(),
                    CheckPolicy.builder().probes(Probe.STARTUP).build());
            HealthHandler extended = HealthHandler.builder(registry)
                    .details(DetailsPolicy.ALWAYS)
                    .build();

            Json.Answer a = Json.get(extended, "/health/live");

            assertThat(a.checkNames()).containsExactly(name);
            assertThat(a.check(name)
                            .get("data")
                            .get(MicroProfileChecks.RESPONSE_NAME_KEY)
                            .asText())
                    .isEqualTo("everywhere");
            assertThat(a.topLevelFields()).contains("outcome", "operationOutcome");
            assertThat(registry.checkNames()).hasSize(2);
        }
    }

    @Test
    void theBuiltInProceduresAreOnUnlessDisabled() {
        try (MicroProfileHealth defaults = MicroProfileHealth.builder().build();
                MicroProfileHealth disabled = MicroProfileHealth.builder()
                        .configure(
                                key -> Optional.ofNullable(Map.of(MicroProfileHealth.DISABLE_DEFAULT_PROCEDURES, "true")
                                        .get(key)))
                        .build()) {
            defaults.markStarted();
            disabled.markStarted();

            assertThat(Json.get(defaults.handler(), "/health/live").checkNames())
                    .containsExactly(MicroProfileHealth.DEADLOCKS);
            assertThat(Json.get(defaults.handler(), "/health/ready").checkNames())
                    .containsExactly(MicroProfileHealth.DISK_SPACE);
            assertThat(disabled.registry().checkNames()).isEmpty();
            assertThat(Json.get(disabled.handler(), "/health").checkNames()).isEmpty();
        }
    }

    @Test
    void invalidSettingsFailLoudlyNamingTheKey() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry(MicroProfileHealth.DEFAULT_READINESS_EMPTY_RESPONSE, "MAYBE"),
                Map.entry(MicroProfileHealth.DISABLE_DEFAULT_PROCEDURES, "yes"),
                Map.entry(MicroProfileHealth.TIMEOUT, "soon"),
                Map.entry(MicroProfileHealth.TIMEOUT, "0"),
                Map.entry("vigil.health.base-path", "health/"))) {
            assertThatThrownBy(() -> MicroProfileHealth.builder()
                            .configure(k -> Optional.ofNullable(k.equals(bad.getKey()) ? bad.getValue() : null)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getKey());
        }
    }
}
