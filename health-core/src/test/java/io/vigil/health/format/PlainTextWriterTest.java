package io.vigil.health.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainTextWriterTest {
    private final HealthRegistry health =
            HealthRegistry.builder().startedImmediately().build();

    @AfterEach
    void close() {
        health.close();
    }

    private static String text(HealthReport report) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PlainTextWriter().write(report, false, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSummaryLineOfEveryCheckReadsAsASentence() throws Exception {
        health.register(
                "db", CheckResult::up, CheckPolicy.builder().groups("core").build());

        assertThat(text(health.evaluate(Scope.all(), List.of()))).isEqualTo("[+]db ok\nhealth check passed\n");
        assertThat(text(health.evaluate(Probe.READINESS))).isEqualTo("[+]db ok\nreadiness check passed\n");
        assertThat(text(health.evaluate(Scope.group("core"), List.of())))
                .isEqualTo("[+]db ok\ngroup core check passed\n");
    }

    @Test
    void aFailedSummaryNamesTheOutcome() throws Exception {
        health.register("db", () -> CheckResult.down("gone"));

        assertThat(text(health.evaluate(Scope.all(), List.of()))).endsWith("\nhealth check failed: DOWN\n");
    }
}
