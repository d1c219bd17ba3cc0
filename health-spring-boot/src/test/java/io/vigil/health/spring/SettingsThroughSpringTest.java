package io.vigil.health.spring;

import io.vigil.health.CheckResult;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Every endpoint setting of the one specification takes effect as a Spring Boot property
 * ({@code vigil.health.<key>}) in a real application on Tomcat: the starter's handler and its servlet mappings
 * (the handler's own mount patterns, so path aliases are reached too) come from the same specification.
 */
class SettingsThroughSpringTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static List<SettingsContract.Sample> samples() {
        return SettingsContract.samples();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everyEndpointSettingTakesEffectAsAProperty(SettingsContract.Sample sample) throws Exception {
        HealthCheck check =
                () -> (sample.degraded() ? CheckResult.degraded("slow") : CheckResult.up()).withData("product", "H2");
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
