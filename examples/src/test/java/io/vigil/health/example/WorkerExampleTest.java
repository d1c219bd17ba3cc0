package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerExampleTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWorkerWithoutWebFrameworkIsLockedThenReadyOnTheJdkServer() throws Exception {
        try (WorkerExample worker = WorkerExample.start(0, Duration.ofSeconds(2))) {
            HttpResponse<String> during = get(worker.port(), "/health/ready");
            assertThat(during.statusCode()).isEqualTo(423);
            assertThat(during.headers().firstValue("Retry-After")).isPresent();
            assertThat(get(worker.port(), "/livez").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> get(worker.port(), "/health/ready").statusCode() == 200);
            assertThat(get(worker.port(), "/readyz?verbose").body()).contains("[+]consumer ok");
            HttpResponse<String> metrics = get(worker.port(), "/metrics");
            assertThat(metrics.statusCode()).as("metrics beside the probes").isEqualTo(200);
            assertThat(metrics.body())
                    .contains("health_check_status{check=\"consumer\"}")
                    .contains("health_probe_status{probe=\"readiness\"}");
            assertThat(get(worker.port(), "/readyz?verbose").body()).contains("[+]consumer ok", "[+]inbox ok", "disk");
            assertThat(get(worker.port(), "/livez?verbose").body()).contains("[+]memory ok");
        }
    }
}
