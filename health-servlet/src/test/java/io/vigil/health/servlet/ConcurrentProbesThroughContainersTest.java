package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.servlet.Containers.Transport;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A burst of probes through a real container shares one call of a slow dependency, and every probe is answered. */
class ConcurrentProbesThroughContainersTest {

    @ParameterizedTest
    @EnumSource(Transport.class)
    void twoHundredConcurrentReadinessProbesCauseOneCheckInvocation(Transport t) throws Exception {
        AtomicInteger invocations = new AtomicInteger();
        try (HealthRegistry registry =
                HealthRegistry.builder().startedImmediately().build()) {
            // the dependency takes 100 ms; the result is reused for a minute, so the whole burst is one call
            registry.register(
                    "slow-db",
                    () -> {
                        invocations.incrementAndGet();
                        Thread.sleep(100);
                        return CheckResult.up();
                    },
                    CheckPolicy.builder()
                            .cacheTtl(Duration.ofMinutes(1))
                            .timeout(Duration.ofSeconds(10))
                            .build());
            try (Running r = t.start(HealthHandler.builder(registry).build(), null)) {
                URI ready = URI.create(r.base() + "health/ready");
                List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    answers.add(Http.client()
                            .sendAsync(
                                    HttpRequest.newBuilder(ready)
                                            .timeout(Duration.ofSeconds(60))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()));
                }
                CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                        .get(90, TimeUnit.SECONDS);
                for (CompletableFuture<HttpResponse<String>> a : answers) {
                    assertThat(a.get().statusCode()).isEqualTo(200);
                    assertThat(a.get().body()).contains("\"slow-db\"").contains("\"outcome\":\"UP\"");
                }
                assertThat(invocations).hasValue(1);
            }
        }
    }
}
