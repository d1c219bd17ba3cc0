package io.vigil.health.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** The resource registered next to an application's own resources: theirs keep their paths, ours serve health. */
class HealthResourceInAMixedApplicationTest {

    /** An application resource. */
    @Path("orders")
    public static final class Orders {
        /** @return a listing */
        @GET
        @Produces("text/plain")
        public String list() {
            return "order-1";
        }
    }

    @Test
    void applicationResourcesKeepTheirPathsAndHealthIsServedBesideThem() throws Exception {
        try (HealthRegistry registry =
                HealthRegistry.builder().startedImmediately().build()) {
            registry.register("db", () -> CheckResult.up());
            ResourceConfig app =
                    new ResourceConfig().register(new HealthResource(registry)).register(Orders.class);
            try (Jersey r = Jersey.serve(app)) {
                var orders = r.send("GET", "orders");
                assertThat(orders.statusCode()).isEqualTo(200);
                assertThat(orders.body()).isEqualTo("order-1");
                var ready = r.send("GET", "health/ready", "Accept", "text/plain");
                assertThat(ready.statusCode()).isEqualTo(200);
                assertThat(ready.body()).startsWith("[+]db ok");
                assertThat(ready.headers().firstValue("Cache-Control")).hasValue("no-store");
                var head = r.send("HEAD", "health/ready", "Accept", "text/plain");
                assertThat(head.headers().firstValue("Content-Length"))
                        .hasValue(Integer.toString(
                                ready.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length));
                var unknown = r.send("GET", "nope");
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(unknown.body()).contains("OperationOutcome");
                var post = r.send("POST", "health/ready");
                assertThat(post.statusCode()).isEqualTo(405);
                assertThat(post.body()).contains("OperationOutcome");
            }
        }
    }
}
