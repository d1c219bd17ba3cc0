package io.vigil.health.format;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MicroProfileJsonWriterTest {
    private final ObjectMapper json = new ObjectMapper();
    private final HealthRegistry health = HealthRegistry.builder()
            .startedImmediately()
            .license(() -> LicenseState.of(LicenseValidity.VALID)
                    .withLicensee("Acme")
                    .withExpires(Instant.parse("2030-01-01T00:00:00Z")))
            .build();

    @AfterEach
    void close() {
        health.close();
    }

    private JsonNode write(ReportWriter w, HealthReport r, boolean details) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(r, details, out);
        return json.readTree(out.toByteArray());
    }

    private static List<String> fields(JsonNode n) {
        return StreamSupport.stream(((Iterable<String>) n::fieldNames).spliterator(), false)
                .toList();
    }

    @Test
    @SuppressWarnings("try") // the lock is held while the block runs; the block itself never touches it
    void strictModeEmitsExactlyTheMicroProfileSchema() throws Exception {
        health.register("db", () -> CheckResult.up().withData("version", "16.4"));
        health.register("plain", CheckResult::up);
        try (TaskLock ignored = health.lock("migration", "v42")) {
            JsonNode n = write(new MicroProfileJsonWriter(true), health.evaluate(Probe.READINESS), true);
            assertThat(fields(n)).containsExactly("status", "checks");
            assertThat(n.path("status").asText()).isEqualTo("DOWN");
            for (JsonNode c : n.path("checks")) {
                assertThat(fields(c)).isSubsetOf("name", "status", "data");
                assertThat(c.path("status").asText()).isIn("UP", "DOWN");
            }
            assertThat(n.path("checks").findValuesAsText("name"))
                    .containsExactly("db", "plain", "lock:migration", "license");
            assertThat(n.path("checks").get(1).has("data"))
                    .as("no data key without data")
                    .isFalse();
            assertThat(n.path("checks").get(0).path("data").path("version").asText())
                    .isEqualTo("16.4");
        }
    }

    @Test
    void extendedModeAddsOutcomeLocksLicenseAndPerCheckFields() throws Exception {
        health.register(
                "cache",
                HealthCheck.of(CheckKind.DATASTORE, () -> CheckResult.down("refused")),
                CheckPolicy.builder().optional().build());
        JsonNode n = write(new MicroProfileJsonWriter(false), health.evaluate(Probe.READINESS), false);
        assertThat(fields(n))
                .containsExactly(
                        "status", "outcome", "since", "checks", "transitions", "locks", "license", "operationOutcome");
        assertThat(n.path("status").asText()).isEqualTo("UP");
        assertThat(n.path("outcome").asText()).isEqualTo("DEGRADED");
        JsonNode c = n.path("checks").get(0);
        assertThat(fields(c))
                .as("never succeeded: no lastSuccess")
                .containsExactly(
                        "name",
                        "status",
                        "critical",
                        "degraded",
                        "durationMs",
                        "cached",
                        "since",
                        "consecutiveFailures");
        assertThat(c.path("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(java.time.Instant.parse(c.path("since").asText()))
                .isEqualTo(health.latest("cache").since());
        assertThat(n.path("transitions").isArray()).isTrue();
        assertThat(n.path("license").path("status").asText()).isEqualTo("VALID");
        assertThat(n.path("license").has("licensee")).isFalse();
    }

    @Test
    void healthJsonFollowsTheIetfDraft() throws Exception {
        health.register("db", HealthCheck.of(CheckKind.DATASTORE, () -> CheckResult.down("refused")));
        JsonNode n = write(new HealthJsonWriter(), health.evaluate(Probe.READINESS), true);
        assertThat(n.path("status").asText()).isEqualTo("fail");
        JsonNode db = n.path("checks").path("db:responseTime").get(0);
        assertThat(db.path("componentType").asText()).isEqualTo("datastore");
        assertThat(db.path("status").asText()).isEqualTo("fail");
        assertThat(db.path("observedUnit").asText()).isEqualTo("ms");
        assertThat(db.path("output").asText()).isEqualTo("refused");
        assertThat(db.path("since").asText())
                .as("DOWN since its first result")
                .isEqualTo(db.path("time").asText());
        assertThat(db.path("consecutiveFailures").asInt()).isEqualTo(1);
        assertThat(n.path("checks").path("license:expiry").get(0).path("status").asText())
                .isEqualTo("pass");
    }

    @Test
    void clipKeepsSurrogatePairsAndReplacesLoneOnes() {
        assertThat(Clip.clip("ab\uD83D\uDE00cd", 3)).isEqualTo("ab\u2026");
        assertThat(Clip.clip("a\uDE00b\uD83D", 10)).isEqualTo("a\uFFFDb\uFFFD");
        assertThat(Clip.clip("x".repeat(2000), Clip.TEXT)).hasSize(Clip.TEXT + 1);
    }
}
