package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.tck.SettingsContract;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fourth entry point of the one specification: the example's environment variables. Every setting, set alone
 * as {@code VIGIL_HEALTH_<KEY>} in an environment map (never the real environment), is read by
 * {@link ExampleConfig#fromEnvironment(Map)} and applied as the service applies it: the handler from
 * {@code config.health()}, the checks' policy from {@code config.health().applyTo(CheckPolicy.builder())}.
 */
class SettingsThroughEnvironmentTest {
    static Stream<SettingsContract.Sample> samples() {
        return Stream.concat(SettingsContract.samples().stream(), SettingsContract.checkDefaultSamples().stream());
    }

    static List<SettingsContract.Refusal> refusals() {
        return SettingsContract.refusals();
    }

    private static SettingsContract.Client client(HealthHandler handler) {
        return (path, accept) -> {
            HealthResponse r = handler.handle(
                    HealthRequest.builder("GET", path).accept(accept).build());
            Map<String, String> headers = new TreeMap<>();
            r.headers().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            return new SettingsContract.Answer(r.status(), headers, new String(r.body(), StandardCharsets.UTF_8));
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySettingTakesEffectAsAnEnvironmentVariable(SettingsContract.Sample sample) throws Exception {
        ExampleConfig config =
                ExampleConfig.fromEnvironment(Map.of(sample.setting().environmentVariable(), sample.value()));
        try (HealthRegistry registry =
                HealthRegistry.builder().startedImmediately().build()) {
            registry.register(
                    SettingsContract.CHECK,
                    SettingsContract.fixture(sample),
                    config.health().applyTo(CheckPolicy.builder()).build());
            sample.verify(client(config.health().handler(registry)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anInvalidValueIsRefusedWithTheSpecificationsMessageNamingTheVariable(SettingsContract.Refusal refusal) {
        String variable = refusal.setting().environmentVariable();
        String message = refusal.message();
        assertThat(message).startsWith(refusal.setting().key() + ": ");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ExampleConfig.fromEnvironment(Map.of(variable, refusal.value())))
                .withMessage(
                        variable + message.substring(refusal.setting().key().length()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySettingsVariableIsOneTheServiceKnows(SettingsContract.Sample sample) {
        assertThat(ExampleConfig.NAMES).contains(sample.setting().environmentVariable());
        assertThat(ExampleConfig.unknownNames(Map.of(sample.setting().environmentVariable(), sample.value())))
                .isEmpty();
        assertThat(HealthSettings.all()).contains(sample.setting());
    }
}
