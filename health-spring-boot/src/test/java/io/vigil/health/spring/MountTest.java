package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** The starter's mappings under a servlet context path, another base path and version prefixes, on Tomcat. */
class MountTest {
    @Test
    void endpointsFollowTheContextPathTheBasePathAndTheVersionPrefixes() {
        try (ConfigurableApplicationContext context = BootApps.start(
                c -> {},
                new Class<?>[0],
                "server.servlet.context-path=/orders",
                "vigil.health.base-path=/ops/health",
                "vigil.health.version-prefixes=R4")) {
            URI app = BootApps.base(context);
            for (String path : new String[] {
                "/orders/ops/health",
                "/orders/ops/health/ready",
                "/orders/livez",
                "/orders/$readiness",
                "/orders/R4/$liveness",
                "/orders/R4/ops/health/live"
            }) {
                assertThat(Http.status(app, path)).as(path).isEqualTo(200);
            }
            var unknown = Http.get(app, "/orders/ops/health/nope");
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("OperationOutcome");
            assertThat(Http.status(app, "/orders/health/ready")).isEqualTo(404);
            assertThat(Http.status(app, "/ops/health/ready")).isEqualTo(404);
        }
    }
}
