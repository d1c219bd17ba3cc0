package io.vigil.health.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.micrometer.HealthMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The JDK server serves Prometheus metrics beside the probes, on the same port, when given a scrape source. */
class JdkHealthServerMetricsTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private HealthRegistry registry;

    @BeforeEach
    void registry() {
        registry = HealthRegistry.builder().startedImmediately().build();
        registry.register("db", () -> CheckResult.up());
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private JdkHealthServer server(Supplier<String> metrics) {
        JdkHealthServer.Builder b = JdkHealthServer.builder(
                        HealthHandler.builder(registry).build())
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return (metrics == null ? b : b.metrics(metrics)).start();
    }

    private HttpResponse<String> send(JdkHealthServer server, String method, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAndProbesShareOnePort() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new HealthMetrics(registry).bindTo(prometheus);
        try (JdkHealthServer server = server(prometheus::scrape)) {
            assertThat(send(server, "GET", "/health/ready").statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = send(server, "GET", "/metrics");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type"))
                    .hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.headers().firstValue("Cache-Control")).hasValue("no-store");
            assertThat(metrics.body())
                    .contains("health_check_status{check=\"db\"}")
                    .contains("health_probe_status{probe=\"readiness\"}");
            HttpResponse<String> head = send(server, "HEAD", "/metrics");
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
            assertThat(head.headers().firstValue("Content-Length")).isPresent();
        }
    }

    @Test
    void otherMethodsAre405AndAFailingScrapeIsA500WithoutItsMessage() throws Exception {
        try (JdkHealthServer server = server(() -> {
            throw new IllegalStateException("password=hunter2");
        })) {
            HttpResponse<String> post = send(server, "POST", "/metrics");
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
            HttpResponse<String> failed = send(server, "GET", "/metrics");
            assertThat(failed.statusCode()).isEqualTo(500);
            assertThat(failed.body())
                    .contains("\"resourceType\":\"OperationOutcome\"")
                    .doesNotContain("hunter2");
            assertThat(send(server, "GET", "/health/live").statusCode())
                    .as("probes unaffected")
                    .isEqualTo(200);
        }
        assertThat(registry.evaluate(Probe.LIVENESS).checks()).isEmpty();
    }

    @Test
    void withoutAScrapeSourceMetricsIsNotServed() throws Exception {
        try (JdkHealthServer server = server(null)) {
            assertThat(send(server, "GET", "/metrics").statusCode()).isEqualTo(404);
        }
    }
}
