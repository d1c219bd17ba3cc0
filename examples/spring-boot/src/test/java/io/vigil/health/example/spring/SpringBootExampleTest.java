package io.vigil.health.example.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.HealthRegistry;
import io.vigil.health.TaskLock;
import io.vigil.health.spring.EarlyHealthServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The example starts, answers its probes on both ports and leaves Actuator working. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "vigil.health.port=0",
            "server.address=127.0.0.1",
            "vigil.health.drain-delay=0s",
            "spring.flyway.placeholders.migration-seconds=0"
        })
class SpringBootExampleTest {
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    int port;

    @Autowired
    EarlyHealthServer probes;

    @Autowired
    HealthRegistry registry;

    private HttpResponse<String> get(int on, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAnswerOnBothPortsWithTheBeansAndTheBridgedIndicatorsAndActuatorStillWorks() throws Exception {
        assertThat(registry.checkNames())
                .contains("deadlocks", "catalog", "inventory", "db", "memory", "disk", "error-rate");
        HttpResponse<String> ready = get(probes.port(), "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body())
                .contains("\"name\":\"catalog\"")
                .contains("\"items\":2")
                .contains("\"name\":\"inventory\"")
                .contains("\"name\":\"db\"")
                .as("db is Vigil's DataSourceCheck, not Spring's indicator")
                .contains("\"validation\":");
        assertThat(get(port, "/health/ready").statusCode()).isEqualTo(200);
        assertThat(get(port, "/livez").statusCode()).isEqualTo(200);
        assertThat(get(port, "/api/hello").body()).isEqualTo("hello\n");
        HttpResponse<String> actuator = get(port, "/actuator/health");
        assertThat(actuator.statusCode()).isEqualTo(200);
        assertThat(actuator.body()).contains("\"status\":\"UP\"");
    }

    @Test
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    void actuatorsProbeGroupsAnswerFromVigil() throws Exception {
        assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
        try (TaskLock lock = registry.lock("reindex", "Rebuilding the search index")) {
            HttpResponse<String> locked = get(port, "/actuator/health/readiness");
            assertThat(locked.statusCode()).isEqualTo(503);
            assertThat(locked.body()).contains("OUT_OF_SERVICE");
            assertThat(get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);
            assertThat(get(port, "/health/ready").statusCode()).isEqualTo(423);
        }
        assertThat(get(port, "/actuator/health/readiness").statusCode()).isEqualTo(200);
    }
}
