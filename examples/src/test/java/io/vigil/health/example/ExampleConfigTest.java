package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.test.LogCapture;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {

    @Test
    void defaultsMatchTheDocumentation() {
        ExampleConfig c = ExampleConfig.defaults();
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.managementPort()).isEqualTo(9090);
        assertThat(c.dbUrl()).isEqualTo(ExampleConfig.DEFAULT_DB_URL);
        assertThat(c.dbUser()).isEqualTo("sa");
        assertThat(c.redisUrl()).isNull();
        assertThat(c.upstreamUrl()).isNull();
        assertThat(c.migration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.licenseFile()).isNull();
        assertThat(c.licenseFailsLiveness()).isTrue();
        assertThat(c.showDetails()).isEqualTo(DetailsPolicy.WHEN_AUTHORIZED);
        assertThat(c.adminToken()).isNull();
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(1000));
        assertThat(c.drainTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.grpcPort()).as("no gRPC port unless asked for").isNull();
        assertThat(ExampleConfig.fromEnvironment(Map.of("VIGIL_GRPC_PORT", "9091"))
                        .grpcPort())
                .isEqualTo(9091);
        assertThat(c.describe()).hasSize(ExampleConfig.NAMES.size());
    }

    @Test
    void invalidValuesAreRejectedNamingTheVariable() {
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_HTTP_PORT", "eighty")))
                .hasMessageContaining("VIGIL_HTTP_PORT")
                .hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_GRPC_PORT", "70000")))
                .hasMessageContaining("VIGIL_GRPC_PORT")
                .hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_HEALTH_TIMEOUT", "0")))
                .hasMessage("VIGIL_HEALTH_TIMEOUT: must be positive");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_HEALTH_DETAILS", "sometimes")))
                .hasMessage("VIGIL_HEALTH_DETAILS: must be one of never, always, when-authorized, not sometimes");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_HEALTH_BASE_PATH", "health/")))
                .hasMessageStartingWith("VIGIL_HEALTH_BASE_PATH: must be empty or like /health");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_LICENSE_FAILS_LIVENESS", "yes")))
                .hasMessageContaining("true or false");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_LICENSE_FILE", "/etc/license.txt")))
                .hasMessageContaining("VIGIL_LICENSE_PUBLIC_KEY");
        assertThatThrownBy(() -> ExampleConfig.fromEnvironment(Map.of("VIGIL_DB_URL", "postgres://u:secret@db/app")))
                .hasMessageContaining("JDBC")
                .hasMessageNotContaining("secret");
    }

    @Test
    void emptyValuesTakeTheDefaultsAndUnknownVigilNamesAreReported() {
        assertThat(ExampleConfig.fromEnvironment(Map.of("VIGIL_HTTP_PORT", " ")).httpPort())
                .isEqualTo(8080);
        assertThat(ExampleConfig.unknownNames(Map.of("VIGIL_DB_PASWORD", "x", "VIGIL_DB_USER", "u", "PATH", "/bin")))
                .containsExactly("VIGIL_DB_PASWORD");
    }

    @Test
    void brokerChecksAreOffByDefaultAndTheRabbitMqPasswordIsNeverPrinted() {
        ExampleConfig off = ExampleConfig.defaults();
        assertThat(off.kafkaBootstrap()).isNull();
        assertThat(off.rabbitmqUri()).isNull();
        assertThat(off.describe())
                .contains(
                        "VIGIL_KAFKA_BOOTSTRAP=(not set: no Kafka check)",
                        "VIGIL_RABBITMQ_URI=(not set: no RabbitMQ check)");

        ExampleConfig on = ExampleConfig.fromEnvironment(Map.of(
                "VIGIL_KAFKA_BOOTSTRAP",
                "kafka-1:9092,kafka-2:9092",
                "VIGIL_RABBITMQ_URI",
                "amqps://app:amqp-secret@rabbit:5671/orders"));
        assertThat(on.describe())
                .contains(
                        "VIGIL_KAFKA_BOOTSTRAP=kafka-1:9092,kafka-2:9092",
                        "VIGIL_RABBITMQ_URI=amqps://rabbit:5671/orders");
        assertThat(String.join("\n", on.describe())).doesNotContain("amqp-secret");
        assertThat(on.with("VIGIL_DRAIN_SECONDS", "3").rabbitmqUri()).isEqualTo(on.rabbitmqUri());
    }

    @Test
    void describeMasksPasswordsTokensAndUrlCredentials() {
        ExampleConfig c = ExampleConfig.fromEnvironment(Map.of(
                "VIGIL_DB_URL", "jdbc:postgresql://db:5432/app?user=app&password=pg-secret",
                "VIGIL_DB_PASSWORD", "pw-secret",
                "VIGIL_REDIS_URL", "rediss://default:redis-secret@cache:6380/2",
                "VIGIL_UPSTREAM_URL", "https://user:up-secret@orders/health?token=query-secret",
                "VIGIL_ADMIN_TOKEN", "admin-secret"));
        String printed = String.join("\n", c.describe()) + c;
        assertThat(printed)
                .doesNotContain("pg-secret", "pw-secret", "redis-secret", "up-secret", "query-secret", "admin-secret");
        assertThat(printed)
                .contains("VIGIL_DB_URL=jdbc:postgresql://db:5432/app?***")
                .contains("VIGIL_REDIS_URL=rediss://***@cache:6380/2")
                .contains("VIGIL_DB_PASSWORD=****** (set)");
    }

    @Test
    void aBearerTokenMatchesOnlyItselfWhateverTheSchemeCase() {
        BearerToken t = BearerToken.of("s3cret");
        assertThat(t.matches("Bearer s3cret")).isTrue();
        assertThat(t.matches("bearer  s3cret ")).isTrue();
        assertThat(t.matches("Bearer s3cre")).isFalse();
        assertThat(t.matches("Bearer s3cret2")).isFalse();
        assertThat(t.matches("Basic s3cret")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t).hasToString("BearerToken[set]");
        assertThat(BearerToken.of(null).matches("Bearer ")).isFalse();
        assertThat(BearerToken.of("  ").isConfigured()).isFalse();
    }

    @Test
    void theLibrarysSettingsAreReadAsVigilHealthVariablesWithTheExamplesDefaults() {
        ExampleConfig c = ExampleConfig.defaults();
        assertThat(c.health().versionPrefixes()).containsExactly("R4");
        assertThat(c.health().details()).isEqualTo(DetailsPolicy.WHEN_AUTHORIZED);
        assertThat(c.describe())
                .contains(
                        "VIGIL_HEALTH_BASE_PATH=/health",
                        "VIGIL_HEALTH_DETAILS=when-authorized",
                        "VIGIL_HEALTH_TIMEOUT=1s",
                        "VIGIL_HEALTH_VERSION_PREFIXES=R4");
        ExampleConfig set = ExampleConfig.fromEnvironment(Map.of(
                "VIGIL_HEALTH_TIMEOUT", "250ms", "VIGIL_HEALTH_VERSION_PREFIXES", "", "VIGIL_HEALTH_CACHE_TTL", "0"));
        assertThat(set.checkTimeout()).isEqualTo(Duration.ofMillis(250));
        assertThat(set.health().versionPrefixes())
                .as("set but empty: no prefix")
                .isEmpty();
        assertThat(set.health().cacheTtl()).isZero();
        assertThat(set.with("VIGIL_DRAIN_SECONDS", "3").checkTimeout())
                .as("kept through with()")
                .isEqualTo(Duration.ofMillis(250));
        assertThat(ExampleConfig.NAMES)
                .containsAll(HealthSettings.all().stream()
                        .map(HealthSettings.Setting::environmentVariable)
                        .toList());
    }

    @Test
    void theFormerVariablesStillWorkForOneReleaseWithADeprecationWarning() {
        try (LogCapture log = LogCapture.of(HealthSettings.class.getName())) {
            ExampleConfig c = ExampleConfig.fromEnvironment(
                    Map.of("VIGIL_SHOW_DETAILS", "always", "VIGIL_CHECK_TIMEOUT_MS", "800"));
            assertThat(c.showDetails()).isEqualTo(DetailsPolicy.ALWAYS);
            assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(800));
            assertThat(log.everything())
                    .contains("VIGIL_SHOW_DETAILS", "VIGIL_HEALTH_DETAILS", "VIGIL_CHECK_TIMEOUT_MS", "deprecated");
        }
        assertThat(ExampleConfig.fromEnvironment(Map.of("VIGIL_CHECK_TIMEOUT_MS", "800", "VIGIL_HEALTH_TIMEOUT", "2s"))
                        .checkTimeout())
                .as("the current name wins")
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(ExampleConfig.unknownNames(Map.of("VIGIL_SHOW_DETAILS", "always", "VIGIL_HEALTH_TIMOUT", "1s")))
                .as("a former name is known, a typo is not")
                .containsExactly("VIGIL_HEALTH_TIMOUT");
    }
}
