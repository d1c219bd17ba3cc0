package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleServiceTest {

    private static ExampleConfig config(String... pairs) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("VIGIL_HTTP_PORT", "0", "VIGIL_MANAGEMENT_PORT", "0"));
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return ExampleConfig.fromEnvironment(env);
    }

    @Test
    void readinessIsLockedDuringTheMigrationAndReadyAfterIt() {
        try (ExampleService service = ExampleService.start(config("VIGIL_MIGRATION_SECONDS", "2"))) {
            int port = service.httpPort();
            HttpResponse<String> during = Http.get(port, "/health/ready");
            assertThat(during.statusCode()).isEqualTo(423);
            assertThat(during.body()).contains("\"outcome\":\"LOCKED\"").contains("schema-migration");
            assertThat(Http.status(port, "/health/live")).isEqualTo(200);
            assertThat(Http.status(port, "/health/started")).isEqualTo(503);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Http.status(port, "/health/ready") == 200);
            assertThat(Http.get(port, "/readyz?verbose").body()).contains("[+]disk ok").contains("[+]db ok");
            assertThat(Http.status(port, "/health/started")).isEqualTo(200);
            service.health().startDraining();
            assertThat(Http.status(port, "/health/ready")).isEqualTo(503);
            assertThat(Http.status(port, "/health/live")).isEqualTo(200);
        }
    }
}
