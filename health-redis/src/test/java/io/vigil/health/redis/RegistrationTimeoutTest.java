package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.BlackHoleProxy;
import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The registration's timeout is the only number a user sets: with no timeout of its own, the RESP probe bounds
 * its I/O by the time the engine gives it, so a silent server is reported in the check's own words (the step
 * that got no answer), not as the engine's generic TIMEOUT.
 */
class RegistrationTimeoutTest {

    @Test
    void aBlackHoledServerIsTheProbesOwnDiagnosisUnderAShortRegistrationTimeout() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault();
                BlackHoleProxy proxy = new BlackHoleProxy(redis.host(), redis.port());
                HealthRegistry health =
                        HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "redis",
                    RedisProbeCheck.of("redis://127.0.0.1:" + proxy.port()),
                    CheckPolicy.builder()
                            .timeout(Duration.ofMillis(400))
                            .cacheTtl(Duration.ZERO)
                            .build());
            assertThat(health.evaluate(Probe.READINESS).checks().get(0).status())
                    .isEqualTo(Status.UP);

            proxy.blackHole();
            CheckEntry entry = health.evaluate(Probe.READINESS).checks().get(0);

            assertThat(entry.status()).isEqualTo(Status.DOWN);
            assertThat(entry.cause()).isEqualTo(Cause.REPORTED);
            assertThat(entry.message()).contains("127.0.0.1:" + proxy.port()).contains(" within ");
        }
    }
}
