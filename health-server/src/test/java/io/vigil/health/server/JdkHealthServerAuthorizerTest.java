package io.vigil.health.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The JDK server consults its authorizer only where the answer depends on it: under {@code WHEN_AUTHORIZED}. */
class JdkHealthServerAuthorizerTest {
    @ParameterizedTest
    @EnumSource(DetailsPolicy.class)
    void theAuthorizerIsConsultedOnlyUnderWhenAuthorized(DetailsPolicy policy) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        try (HealthRegistry registry =
                HealthRegistry.builder().startedImmediately().build()) {
            registry.register("db", () -> CheckResult.up().withData("product", "H2"));
            HealthHandler handler =
                    HealthHandler.builder(registry).details(policy).build();
            try (JdkHealthServer server = JdkHealthServer.builder(handler)
                    .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .authorizer(header -> calls.incrementAndGet() > 0 && header.equals("Bearer t"))
                    .start()) {
                HttpClient client = HttpClient.newHttpClient();
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                .header("Authorization", "Bearer t")
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(calls.get()).isEqualTo(policy == DetailsPolicy.WHEN_AUTHORIZED ? 1 : 0);
                assertThat(r.body().contains("\"product\"")).isEqualTo(policy != DetailsPolicy.NEVER);
            }
        }
    }
}
