package io.vigil.health.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.test.LogCapture;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HealthSettingsTest {
    private static HealthSettings read(Map<String, String> values) {
        return HealthSettings.read(k -> Optional.ofNullable(values.get(k)));
    }

    @Test
    void nothingSetGivesTheDocumentedDefaults() {
        HealthSettings d = HealthSettings.defaults();
        assertThat(d.basePath()).isEqualTo(HealthSettings.BASE_PATH.defaultText());
        assertThat(d.details()).isEqualTo(DetailsPolicy.NEVER);
        assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.cacheTtl()).isEqualTo(Duration.ofSeconds(1));
        assertThat(d.jsonFormat()).isEqualTo(HealthHandler.JsonFormat.MICROPROFILE);
        HealthSettings.all().forEach(s -> assertThat(d.isSet(s)).isFalse());
    }

    @ParameterizedTest
    @CsvSource({"PT2S,2000", "2s,2000", "500ms,500", "750,750", "1m,60000", "0,0"})
    void durationsReadAsIsoUnitsOrMilliseconds(String text, long millis) {
        assertThat(read(Map.of("cache-ttl", text)).cacheTtl()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "timeout|0",
                "timeout|soon",
                "cache-ttl|-1s",
                "base-path|health/",
                "version-prefixes|a/b",
                "details|sometimes",
                "strict-microprofile|yes",
                "json-format|xml",
                "status-policy|haproxy",
                "path-aliases|/ready",
                "path-aliases|/ready=nowhere",
                "page-refresh|-5s"
            })
    void anInvalidValueFailsNamingItsKey(String key, String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> read(Map.of(key, value)))
                .withMessageStartingWith(key + ": ");
    }

    @Test
    void aFormerKeyIsStillReadWithADeprecationWarning() {
        try (LogCapture log = LogCapture.of(HealthSettings.class.getName())) {
            HealthSettings s = read(Map.of("check-timeout", "250ms"));
            assertThat(s.timeout()).isEqualTo(Duration.ofMillis(250));
            assertThat(s.isSet(HealthSettings.TIMEOUT)).isTrue();
            assertThat(log.everything()).contains("check-timeout", "deprecated", "timeout");
        }
        assertThat(read(Map.of("check-timeout", "250ms", "timeout", "2s")).timeout())
                .as("the current key wins")
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aPrefixedLookupReadsTheFormerPrefixWithAWarning() {
        Map<String, String> context = Map.of("io.vigil.health.details", "always", "vigil.health.base-path", "/x");
        try (LogCapture log = LogCapture.of(HealthSettings.class.getName())) {
            HealthSettings s = HealthSettings.read(
                    HealthSettings.prefixed(HealthSettings.PREFIX, context::get, "io.vigil.health."));
            assertThat(s.details()).isEqualTo(DetailsPolicy.ALWAYS);
            assertThat(s.basePath()).isEqualTo("/x");
            assertThat(log.everything()).contains("io.vigil.health.details", "vigil.health.details");
        }
    }

    @Test
    void pathAliasesNameTheirScopesAndMayNotTakeAnotherRoute() {
        HealthSettings s = read(Map.of("path-aliases", "/ready=readiness, /api/health/ready=ready, /g=group:core"));
        assertThat(s.pathAliases())
                .containsEntry("/ready", Scope.of(Probe.READINESS))
                .containsEntry("/api/health/ready", Scope.of(Probe.READINESS))
                .containsEntry("/g", Scope.group("core"));
        try (HealthRegistry registry = HealthRegistry.builder().build()) {
            assertThat(s.handler(registry).mountPatterns())
                    .contains("/health/*", "/livez", "/ready", "/api/health/ready", "/g");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> read(Map.of("path-aliases", "/health/live=readiness"))
                            .handler(registry))
                    .withMessageContaining("/health/live");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> HealthHandler.builder(registry).pathAlias("/a/../b", Scope.all()));
        }
    }

    @Test
    void everyKeysEnvironmentVariableIsThePrefixedKeyInUpperCaseWithUnderscores() {
        assertThat(HealthSettings.environmentVariable("check-timeout")).isEqualTo("VIGIL_HEALTH_CHECK_TIMEOUT");
        assertThat(HealthSettings.BASE_PATH.environmentVariable()).isEqualTo("VIGIL_HEALTH_BASE_PATH");
        assertThat(HealthSettings.all().stream().map(HealthSettings.Setting::environmentVariable))
                .allMatch(v -> v.matches("VIGIL_HEALTH_[A-Z_]+"))
                .doesNotHaveDuplicates();
    }

    @Test
    void theEnvironmentLookupReadsTheVariablesAndTheFormerNamesWithAWarning() {
        Map<String, String> env = Map.of(
                "VIGIL_HEALTH_BASE_PATH", "",
                "VIGIL_HEALTH_CHECK_TIMEOUT", "300ms",
                "VIGIL_SHOW_DETAILS", "always",
                "vigil.health.cache-ttl", "5s");
        try (LogCapture log = LogCapture.of(HealthSettings.class.getName())) {
            HealthSettings s =
                    HealthSettings.read(HealthSettings.environment(env::get, Map.of("details", "VIGIL_SHOW_DETAILS")));
            assertThat(s.basePath()).as("set but empty is a value").isEmpty();
            assertThat(s.timeout()).as("the former key's variable").isEqualTo(Duration.ofMillis(300));
            assertThat(s.details()).as("the former variable").isEqualTo(DetailsPolicy.ALWAYS);
            assertThat(s.cacheTtl()).as("only variable names are read").isEqualTo(Duration.ofSeconds(1));
            assertThat(log.everything())
                    .contains("VIGIL_SHOW_DETAILS", "VIGIL_HEALTH_DETAILS", "deprecated", "check-timeout");
        }
        assertThat(HealthSettings.read(HealthSettings.environment(
                                Map.of("VIGIL_SHOW_DETAILS", "always", "VIGIL_HEALTH_DETAILS", "never")::get,
                                Map.of("details", "VIGIL_SHOW_DETAILS")))
                        .details())
                .as("the current name wins")
                .isEqualTo(DetailsPolicy.NEVER);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthSettings.read(
                        HealthSettings.environment(Map.of("VIGIL_HEALTH_TIMEOUT", "0")::get, Map.of())))
                .withMessage("timeout: must be positive");
    }

    @Test
    void aSettingParsesAndRefusesATextAsEveryLookupDoes() {
        assertThat(HealthSettings.VERSION_PREFIXES.parse(" R4, R5 ")).containsExactly("R4", "R5");
        assertThat(HealthSettings.TIMEOUT.parse("PT0.25S")).isEqualTo(Duration.ofMillis(250));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> HealthSettings.BASE_PATH.parse("health/"))
                .withMessage("base-path: must be empty or like /health (leading slash, no trailing slash)");
    }
}
