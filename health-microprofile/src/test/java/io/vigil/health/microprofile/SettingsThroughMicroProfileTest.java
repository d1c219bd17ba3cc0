package io.vigil.health.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.CheckResult;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.tck.SettingsContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every setting of the one specification takes effect under MicroProfile Config keys ({@code vigil.health.<key>}),
 * read by {@link MicroProfileHealth.Builder#configure}; the former {@code vigil.health.check-timeout} still works.
 */
class SettingsThroughMicroProfileTest {
    static List<SettingsContract.Sample> samples() {
        return SettingsContract.samples();
    }

    private static MicroProfileHealth configured(Map<String, String> config) {
        return MicroProfileHealth.builder()
                .defaultProcedures(false)
                .configure(key -> Optional.ofNullable(config.get(key)))
                .build();
    }

    private static SettingsContract.Client client(MicroProfileHealth health) {
        return (path, accept) -> {
            int q = path.indexOf('?');
            HealthResponse r = health.handler()
                    .handle(HealthRequest.builder("GET", q < 0 ? path : path.substring(0, q))
                            .accept(accept)
                            .build());
            Map<String, String> headers = new java.util.TreeMap<>();
            r.headers().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
            return new SettingsContract.Answer(r.status(), headers, new String(r.body(), StandardCharsets.UTF_8));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyEndpointSettingTakesEffect(SettingsContract.Sample sample) throws Exception {
        try (MicroProfileHealth health =
                configured(Map.of(HealthSettings.PREFIX + sample.setting().key(), sample.value()))) {
            health.registry()
                    .register(
                            SettingsContract.CHECK,
                            () -> (sample.degraded() ? CheckResult.degraded("slow") : CheckResult.up())
                                    .withData("product", "H2"));
            health.markStarted();
            sample.verify(client(health));
        }
    }

    /** The contract's fixture check as a MicroProfile procedure, registered as MicroProfile checks are. */
    @Readiness
    static final class Fixture implements HealthCheck {
        private final io.vigil.health.HealthCheck check;

        Fixture(SettingsContract.Sample sample) {
            this.check = SettingsContract.fixture(sample);
        }

        @Override
        public HealthCheckResponse call() {
            try {
                return HealthCheckResponse.named(SettingsContract.CHECK)
                        .status(check.check().status() != io.vigil.health.Status.DOWN)
                        .withData("product", "H2")
                        .build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static List<SettingsContract.Sample> checkDefaultSamples() {
        return SettingsContract.checkDefaultSamples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkDefaultSamples")
    void everyCheckDefaultTakesEffectOnAProcedure(SettingsContract.Sample sample) throws Exception {
        try (MicroProfileHealth health =
                configured(Map.of(HealthSettings.PREFIX + sample.setting().key(), sample.value()))) {
            health.register(new Fixture(sample));
            health.markStarted();
            sample.verify(client(health));
        }
    }

    static List<SettingsContract.Refusal> refusals() {
        return SettingsContract.refusals();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anInvalidValueIsRefusedWithTheSpecificationsMessage(SettingsContract.Refusal refusal) {
        assertThatThrownBy(() -> configured(
                                Map.of(HealthSettings.PREFIX + refusal.setting().key(), refusal.value()))
                        .close())
                .hasMessageContaining(refusal.message());
    }

    /** Blocks until released: a check that overruns any timeout. */
    @Readiness
    static final class Hanging implements HealthCheck {
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        public HealthCheckResponse call() {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HealthCheckResponse.up("hanging");
        }
    }

    /** Counts its calls. */
    @Readiness
    static final class Counting implements HealthCheck {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public HealthCheckResponse call() {
            calls.incrementAndGet();
            return HealthCheckResponse.up("counting");
        }
    }

    @Test
    void theCheckDefaultsTakeEffectUnderTheirKeyAndTheFormerOne() throws Exception {
        for (String key : List.of(MicroProfileHealth.TIMEOUT, "vigil.health.check-timeout")) {
            try (MicroProfileHealth health = configured(Map.of(key, "50ms"))) {
                health.register(new Hanging());
                health.markStarted();
                String body = client(health).get("/health/ready", null).body();
                assertThat(body).as(key).contains("\"DOWN\"");
                assertThat(health.registry()
                                .evaluate(io.vigil.health.Probe.READINESS)
                                .checks()
                                .get(0)
                                .cause())
                        .as(key)
                        .isEqualTo(io.vigil.health.Cause.TIMEOUT);
            }
        }
        Hanging.RELEASE.countDown();
        try (MicroProfileHealth health = configured(Map.of(MicroProfileHealth.CACHE_TTL, "0"))) {
            Counting counting = new Counting();
            health.register(counting);
            health.markStarted();
            client(health).get("/health/ready", null);
            client(health).get("/health/ready", null);
            assertThat(counting.calls)
                    .as("cache-ttl=0 calls the check on every request")
                    .hasValue(2);
        }
    }
}
