package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.servlet.Containers.Transport;
import io.vigil.health.tck.Abuse;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The abuse of the JDK server's test, against the servlet containers as this module's tests configure them
 * (docs/servlet.md, "Under abusive clients"): 500 slowloris clients, 2,000 idle connections and a 1 MB header
 * while a prober sends {@code GET /health/live} every 100 ms for 10 s. Jersey runs on the same Jetty connector.
 */
class AbuseThroughContainersTest {
    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"JETTY", "TOMCAT"})
    void probesAnswerWhileSlowIdleAndHugeHeaderClientsAreConnected(Transport transport) throws Exception {
        int slow = 500;
        int idle = 2000;
        Abuse.requireFileDescriptors(slow + idle + 2);
        HealthRegistry registry = HealthRegistry.builder().startedImmediately().build();
        registry.register(
                "alive",
                CheckResult::up,
                CheckPolicy.builder().probes(Probe.LIVENESS).build());
        int baseline = ManagementFactory.getThreadMXBean().getThreadCount();
        int[] maxThreads = {0};
        try (Running server = transport.start(HealthHandler.builder(registry).build(), null)) {
            URI base = URI.create(server.base().toString().replaceAll("/$", ""));
            Abuse.Probes probes;
            try (Abuse abuse = new Abuse(base)) {
                abuse.slowloris(slow, Duration.ofSeconds(1));
                abuse.idle(idle);
                CompletableFuture<String> huge = abuse.hugeHeader(1024 * 1024);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> server.openConnections().getAsLong() >= slow + idle);
                probes = Abuse.probe(
                        base,
                        100,
                        Duration.ofMillis(100),
                        () -> maxThreads[0] = Math.max(
                                maxThreads[0],
                                ManagementFactory.getThreadMXBean().getThreadCount()));
                assertThat(huge.get(30, TimeUnit.SECONDS))
                        .matches(s -> s.startsWith("HTTP/1.1 4") || s.endsWith("Exception"), "a 4xx or a reset");
                System.out.printf(
                        "abuse %s: slowest probe %d ms, threads %d before, at most %d while probing; huge"
                                + " header got %s%n",
                        transport,
                        probes.slowestMillis(),
                        baseline,
                        maxThreads[0],
                        huge.get().lines().findFirst().orElse(""));
            }
            assertThat(probes.statuses()).hasSize(100).containsOnly(200);
            assertThat(maxThreads[0] - baseline)
                    .as("threads added while 2,500 clients are connected")
                    .isLessThan(260);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> server.openConnections().getAsLong() == 0);
        } finally {
            registry.close();
        }
    }
}
