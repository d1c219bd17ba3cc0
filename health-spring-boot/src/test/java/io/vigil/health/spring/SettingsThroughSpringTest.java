package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthCheck;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.tck.SettingsContract;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.validation.BeanPropertyBindingResult;

/**
 * Every setting of the one specification takes effect as a Spring Boot property
 * ({@code vigil.health.<key>}) in a real application on Tomcat: the starter's handler and its servlet mappings
 * (the handler's own mount patterns, so path aliases are reached too) come from the same specification, and the
 * check defaults apply to a {@code HealthCheck} bean. The typed properties Spring needs for its metadata refuse what
 * the specification refuses, with its message.
 */
class SettingsThroughSpringTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Stream<SettingsContract.Sample> samples() {
        return Stream.concat(SettingsContract.samples().stream(), SettingsContract.checkDefaultSamples().stream());
    }

    static List<SettingsContract.Refusal> refusals() {
        return SettingsContract.refusals();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anInvalidValueFailsStartUpWithTheSpecificationsMessage(SettingsContract.Refusal refusal) {
        assertThatThrownBy(() -> BootApps.start(
                        c -> {},
                        new Class<?>[0],
                        HealthSettings.PREFIX + refusal.setting().key() + "=" + refusal.value()))
                .satisfies(e -> assertThat(messages(e)).contains(HealthSettings.PREFIX + refusal.message()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void theTypedPropertiesRefuseWithTheSpecificationsMessage(SettingsContract.Refusal refusal) {
        VigilHealthProperties p = new Binder(new MapConfigurationPropertySource(
                        Map.of(HealthSettings.PREFIX + refusal.setting().key(), refusal.value())))
                .bindOrCreate(VigilHealthProperties.PREFIX, VigilHealthProperties.class);
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(p, VigilHealthProperties.PREFIX);
        p.validate(p, errors);
        assertThat(errors.getAllErrors())
                .extracting(e -> e.getDefaultMessage())
                .containsExactly(HealthSettings.PREFIX + refusal.message());
    }

    @org.junit.jupiter.api.Test
    void aCheckGroupNameIsJudgedByTheCoreRule() {
        String message;
        try {
            CheckPolicy.builder().groups("no spaces");
            throw new AssertionError("the core accepts 'no spaces'");
        } catch (IllegalArgumentException e) {
            message = e.getMessage();
        }
        String expected = message;
        assertThatThrownBy(() ->
                        BootApps.start(c -> {}, new Class<?>[0], HealthSettings.PREFIX + "checks.db.groups=no spaces"))
                .satisfies(e -> assertThat(messages(e)).contains(expected));
    }

    /** Every message of a failure and its causes: the binder wraps the validator's errors. */
    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t.getMessage()).append('\n');
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySettingTakesEffectAsAProperty(SettingsContract.Sample sample) throws Exception {
        HealthCheck check = SettingsContract.fixture(sample);
        try (ConfigurableApplicationContext context = BootApps.start(
                c -> c.registerBean(SettingsContract.CHECK, HealthCheck.class, () -> check),
                new Class<?>[0],
                HealthSettings.PREFIX + sample.setting().key() + "=" + sample.value(),
                "vigil.health.bridge-indicators=false")) {
            URI base = BootApps.base(context);
            sample.verify((path, accept) -> {
                HttpRequest.Builder b =
                        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
                if (accept != null) {
                    b.header("Accept", accept);
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                Map<String, String> headers = new TreeMap<>();
                r.headers().map().forEach((k, v) -> headers.put(k, v.get(v.size() - 1)));
                return new SettingsContract.Answer(r.statusCode(), headers, r.body());
            });
        }
    }
}
