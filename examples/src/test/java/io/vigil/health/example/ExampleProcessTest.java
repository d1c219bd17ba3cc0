package io.vigil.health.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.test.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example as its own process, started like the README starts it (the main class, settings from the environment)
 * and stopped with a real SIGTERM.
 */
class ExampleProcessTest {
    private static final String DB_PASSWORD = "process-db-Pa55";
    private static final String TOKEN = "process-admin-token-0815";

    @TempDir
    Path tmp;

    private Process process;

    @AfterEach
    void killLeftovers() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermDrainsLetsTheInFlightRequestFinishAndExitsInTime() throws Exception {
        int http = Ports.free();
        int management = Ports.free();
        Path out = tmp.resolve("stdout.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dslf4j.provider=org.slf4j.simple.SimpleServiceProvider",
                ExampleService.class.getName()));
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        Map<String, String> env = pb.environment();
        env.put("VIGIL_HTTP_PORT", Integer.toString(http));
        env.put("VIGIL_MANAGEMENT_PORT", Integer.toString(management));
        env.put("VIGIL_MIGRATION_SECONDS", "2");
        env.put("VIGIL_DB_PASSWORD", DB_PASSWORD);
        env.put("VIGIL_ADMIN_TOKEN", TOKEN);
        env.put("VIGIL_DRAIN_SECONDS", "10");
        process = pb.start();

        // curl shows 423 during the start-up migration, then 200
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> answers(http, "/health/ready") != 0);
        assertThat(answers(http, "/health/ready")).isIn(423, 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> answers(http, "/health/ready") == 200);

        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient()
                .sendAsync(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/api/work?ms=3000"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Http.get(management, "/metrics").body().contains("example_api_requests_active 1.0"));

        long sigterm = System.nanoTime();
        process.destroy(); // SIGTERM
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> answers(http, "/health/ready") == 503);
        assertThat(answers(http, "/health/live")).isEqualTo(200);
        assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(process.waitFor(10 + ExampleService.STOP_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                .as("exits within the drain time")
                .isTrue();
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
        assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran

        String log = Files.readString(out);
        assertThat(log)
                .contains("VIGIL_DB_PASSWORD=****** (set)")
                .contains("VIGIL_ADMIN_TOKEN=****** (set)")
                .contains("shutting down: readiness answers 503")
                .contains("stopped after")
                .doesNotContain(DB_PASSWORD)
                .doesNotContain(TOKEN);
        assertThat(tookMs).as("drain waited for the 3 s request").isGreaterThan(1000);
    }

    /** @return the status of a GET, or 0 when nothing answers */
    private static int answers(int port, String path) {
        try {
            return Http.get(port, path).statusCode();
        } catch (java.io.UncheckedIOException e) {
            return 0;
        }
    }
}
