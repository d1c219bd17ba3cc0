package io.vigil.health.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** MicroProfile's empty-response settings: what readiness and startup answer before the checks are in place. */
class StartupWindowTest {

    private static MicroProfileHealth configured(Map<String, String> settings) {
        return MicroProfileHealth.builder()
                .defaultProcedures(false)
                .cacheTtl(Duration.ZERO)
                .configure(key -> Optional.ofNullable(settings.get(key)))
                .build();
    }

    @Test
    void byDefaultReadinessAndStartupAreDownWithNoChecksUntilStarted() {
        try (MicroProfileHealth health = configured(Map.of())) {
            Json.Answer ready = Json.get(health.handler(), "/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.body().toString()).isEqualTo("{\"status\":\"DOWN\",\"checks\":[]}");
            assertThat(Json.get(health.handler(), "/health/started").status()).isEqualTo(503);
            assertThat(Json.get(health.handler(), "/health").status()).isEqualTo(503);
            assertThat(Json.get(health.handler(), "/health/live").status()).isEqualTo(200);

            health.markStarted();

            for (String path : new String[] {"/health", "/health/live", "/health/ready", "/health/started"}) {
                Json.Answer a = Json.get(health.handler(), path);
                assertThat(a.status()).as(path).isEqualTo(200);
                assertThat(a.body().toString()).as(path).isEqualTo("{\"status\":\"UP\",\"checks\":[]}");
            }
        }
    }

    @Test
    void startupEmptyResponseUpLetsStartupAnswerUpWhileReadinessStillWaits() {
        try (MicroProfileHealth health = configured(Map.of(MicroProfileHealth.DEFAULT_STARTUP_EMPTY_RESPONSE, "up"))) {
            assertThat(Json.get(health.handler(), "/health/started").status()).isEqualTo(200);
            assertThat(Json.get(health.handler(), "/health/ready").status()).isEqualTo(503);
        }
    }

    @Test
    void readinessEmptyResponseUpLetsReadinessAnswerUpWhileStartupStillWaits() {
        try (MicroProfileHealth health =
                configured(Map.of(MicroProfileHealth.DEFAULT_READINESS_EMPTY_RESPONSE, "UP"))) {
            Json.Answer ready = Json.get(health.handler(), "/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body().toString()).isEqualTo("{\"status\":\"UP\",\"checks\":[]}");
            assertThat(Json.get(health.handler(), "/health/started").status()).isEqualTo(503);
        }
    }

    @Test
    void aStartupCheckRegisteredDuringTheWindowDecidesOnceTheEmptyResponseIsUp() {
        try (MicroProfileHealth health = configured(Map.of(MicroProfileHealth.DEFAULT_STARTUP_EMPTY_RESPONSE, "UP"))) {
            Checks.Warmup warmup = new Checks.Warmup();
            health.register(warmup);

            Json.Answer cold = Json.get(health.handler(), "/health/started");
            assertThat(cold.status()).isEqualTo(503);
            assertThat(cold.check("warmup").get("status").asText()).isEqualTo("DOWN");

            warmup.warm = true;
            assertThat(Json.get(health.handler(), "/health/started").status()).isEqualTo(200);
            assertThat(warmup.calls.get()).isEqualTo(2);
        }
    }

    @Test
    void microProfileConfigIsReadWhenAnImplementationIsPresent() {
        // src/test/resources/META-INF/microprofile-config.properties sets the startup empty response to UP;
        // only a MicroProfile Config implementation (SmallRye Config on this class path) reads that file
        try (MicroProfileHealth health = MicroProfileHealth.fromConfig()) {
            assertThat(Json.get(health.handler(), "/health/started").status()).isEqualTo(200);
            assertThat(Json.get(health.handler(), "/health/ready").status()).isEqualTo(503);
            assertThat(health.registry().checkNames()).isEmpty();
        }
    }
}
