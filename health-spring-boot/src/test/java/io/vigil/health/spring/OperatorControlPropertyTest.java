package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.HealthRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code vigil.health.operator-control=true} serves the out-of-service control on the starter's own mount, to callers
 * the {@link HealthDetailsAuthorizer} bean accepts; the registry bean is the same switch in code.
 */
class OperatorControlPropertyTest {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static int send(URI base, String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void thePropertyServesTheControlToAuthorizedCallersOnly() throws Exception {
        try (ConfigurableApplicationContext context = BootApps.start(
                c -> c.registerBean(
                        HealthDetailsAuthorizer.class,
                        () -> request -> "Bearer ops".equals(request.getHeader("Authorization"))),
                new Class<?>[0],
                "vigil.health.operator-control=true")) {
            URI app = BootApps.base(context);
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(send(app, "POST", "/health/out-of-service?reason=x", null))
                    .isEqualTo(401);
            assertThat(send(app, "POST", "/health/out-of-service?reason=x", "Bearer nope"))
                    .isEqualTo(403);
            assertThat(send(app, "POST", "/health/out-of-service?reason=disk&by=bob", "Bearer ops"))
                    .isEqualTo(200);
            assertThat(registry.outOfService())
                    .hasValueSatisfying(o -> assertThat(o.reason()).isEqualTo("disk"));
            assertThat(Http.status(app, "/health/ready")).isEqualTo(503);
            assertThat(Http.status(app, "/health/live")).isEqualTo(200);
            assertThat(send(app, "DELETE", "/health/out-of-service", "Bearer ops"))
                    .isEqualTo(200);
            assertThat(Http.status(app, "/health/ready")).isEqualTo(200);
        }
    }

    @Test
    void withoutThePropertyThereIsNoControl() throws Exception {
        try (ConfigurableApplicationContext context = BootApps.start(
                c -> c.registerBean(HealthDetailsAuthorizer.class, () -> request -> true), new Class<?>[0])) {
            assertThat(send(BootApps.base(context), "POST", "/health/out-of-service?reason=x", "Bearer ops"))
                    .isEqualTo(404);
        }
    }
}
