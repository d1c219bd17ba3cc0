package io.vigil.health.cost;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The recorder redacts a message once while a check repeats it, and reuses one entry builder: neither may carry a
 * value of one result into the next.
 */
class RepeatedResultTest {
    @Test
    void eachNewMessageIsRedactedAnewAndARepeatedOneStaysRedacted() {
        AtomicReference<CheckResult> next = new AtomicReference<>();
        try (HealthRegistry health =
                HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "db",
                    next::get,
                    CheckPolicy.builder().cacheTtl(Duration.ZERO).build());

            next.set(CheckResult.degraded("slow: jdbc:postgresql://admin:hunter2@db/app"));
            assertThat(message(health)).doesNotContain("hunter2").contains("***@db/app");
            assertThat(message(health)).doesNotContain("hunter2").contains("***@db/app");

            next.set(CheckResult.degraded("slow: jdbc:postgresql://root:letmein@replica/app"));
            assertThat(message(health)).doesNotContain("letmein").contains("***@replica/app");

            next.set(CheckResult.of(io.vigil.health.Status.UP, "fine").withData(java.util.Map.of("pool", 3)));
            var entry = health.evaluate(Probe.READINESS).checks().get(0);
            assertThat(entry.message()).isEqualTo("fine");
            assertThat(entry.data()).containsEntry("pool", 3);

            next.set(CheckResult.up());
            entry = health.evaluate(Probe.READINESS).checks().get(0);
            assertThat(entry.message()).isEmpty();
            assertThat(entry.data()).isEmpty();
            assertThat(entry.cached()).isFalse();
        }
    }

    private static String message(HealthRegistry health) {
        return health.evaluate(Probe.READINESS).checks().get(0).message();
    }
}
