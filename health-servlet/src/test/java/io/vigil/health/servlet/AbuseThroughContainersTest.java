package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.endpoint.Abuse;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.RawHttp;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.servlet.Containers.Transport;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    private static final String LIVE = "GET /health/live HTTP/1.1\r\nHost: prober\r\nConnection: close\r\n\r\n";

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"JETTY", "TOMCAT"})
    void probesAnswerWhileSlowIdleAndHugeHeaderClientsAreConnected(Transport transport) throws Exception {
        int slow = 500;
        int idle = 2000;
        long needed = 2L * (slow + idle + 2) + 400;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean os) {
            assertThat(os.getMaxFileDescriptorCount()).as("this test needs %d file descriptors: raise the limit"
                    + " (ulimit -n %d) to run the build", needed, needed).isGreaterThanOrEqualTo(needed);
        }
        HealthRegistry registry = HealthRegistry.builder().startedImmediately().build();
        registry.register("alive", CheckResult::up, CheckPolicy.builder().probes(Probe.LIVENESS).build());
        int baseline = ManagementFactory.getThreadMXBean().getThreadCount();
        List<Integer> statuses = new ArrayList<>();
        int maxThreads = 0;
        try (Running server = transport.start(HealthHandler.builder(registry).build(), null)) {
            URI base = URI.create(server.base().toString().replaceAll("/$", ""));
            long quiet = server.openConnections().getAsLong(); // Tomcat counts the connection its acceptor awaits
            try (Abuse abuse = new Abuse(base)) {
                abuse.slowloris(slow, Duration.ofSeconds(1));
                abuse.idle(idle);
                CompletableFuture<String> huge = abuse.hugeHeader(1024 * 1024);
                await().atMost(Duration.ofSeconds(30)).until(() -> server.openConnections().getAsLong() >= quiet + slow + idle);
                long start = System.nanoTime();
                for (int i = 0; i < 100; i++) {
                    try (RawHttp c = RawHttp.connect(base, Duration.ofSeconds(3))) {
                        statuses.add(c.send(LIVE).read(false).status());
                    }
                    maxThreads = Math.max(maxThreads, ManagementFactory.getThreadMXBean().getThreadCount());
                    long next = start + (i + 1) * 100_000_000L;
                    Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                }
                assertThat(huge.get(30, TimeUnit.SECONDS)).matches(s -> s.startsWith("HTTP/1.1 4")
                        || s.endsWith("Exception"), "a 4xx or a reset");
                System.out.printf("abuse %s: threads %d before, at most %d while probing; huge header got %s%n",
                        transport, baseline, maxThreads, huge.get().lines().findFirst().orElse(""));
            }
            assertThat(statuses).hasSize(100).containsOnly(200);
            assertThat(maxThreads - baseline).as("threads added while 2,500 clients are connected").isLessThan(260);
            await().atMost(Duration.ofSeconds(20)).until(() -> server.openConnections().getAsLong() == quiet);
        } finally {
            registry.close();
        }
    }
}
