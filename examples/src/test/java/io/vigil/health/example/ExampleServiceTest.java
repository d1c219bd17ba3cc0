package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExampleServiceTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessIsLockedDuringTheMigrationAndReadyAfterIt() throws Exception {
        try (ExampleService service = ExampleService.start(0, Duration.ofSeconds(2))) {
            HttpResponse<String> during = get(service.port(), "/health/ready");
            assertThat(during.statusCode()).isEqualTo(423);
            assertThat(during.body()).contains("\"outcome\":\"LOCKED\"").contains("schema-migration");
            assertThat(get(service.port(), "/health/live").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> get(service.port(), "/health/ready").statusCode() == 200);
            assertThat(get(service.port(), "/readyz?verbose").body()).contains("[+]disk ok");
            service.health().startDraining();
            assertThat(get(service.port(), "/health/ready").statusCode()).isEqualTo(503);
            assertThat(get(service.port(), "/health/live").statusCode()).isEqualTo(200);
        }
    }
}
