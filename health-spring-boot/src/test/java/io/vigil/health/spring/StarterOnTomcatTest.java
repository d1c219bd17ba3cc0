package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The starter in a Spring MVC application on Tomcat: its own port, its controllers, its availability states. */
@SpringBootTest(
        classes = {BootApps.App.class, StarterOnTomcatTest.Beans.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "spring.autoconfigure.exclude=" + BootApps.NO_DATABASE,
            "server.address=127.0.0.1",
            "vigil.health.checks.process.probes=liveness",
            "vigil.health.checks.slow.probes=",
            "vigil.health.checks.slow.groups=slow",
            "vigil.health.checks.slow.cache-ttl=0s",
            "vigil.health.checks.slow.timeout=30s",
            "server.tomcat.threads.max=220"
        })
class StarterOnTomcatTest {
    static final AtomicReference<CheckResult> PROCESS = new AtomicReference<>(CheckResult.up());
    static final AtomicInteger SLOW_CALLS = new AtomicInteger();
    static final AtomicReference<CountDownLatch> SLOW_RELEASE = new AtomicReference<>(new CountDownLatch(0));

    @TestConfiguration(proxyBeanMethods = false)
    static class Beans {
        @Bean
        HealthCheck inventory() {
            return CheckResult::up;
        }

        @Bean
        HealthCheck process() {
            return PROCESS::get;
        }

        /** A slow Spring indicator in the group "slow" only, uncached: held until the test releases it. */
        @Bean
        HealthIndicator slowHealthIndicator() {
            return () -> {
                SLOW_CALLS.incrementAndGet();
                try {
                    SLOW_RELEASE.get().await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Health.up().build();
            };
        }

        @Bean
        Hello hello() {
            return new Hello();
        }
    }

    @RestController
    static class Hello {
        @GetMapping("/hello")
        String hello() {
            return "hello";
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    ApplicationAvailability availability;

    @Autowired
    HealthRegistry registry;

    URI base() {
        return Http.local(port);
    }

    @BeforeEach
    void reset() {
        PROCESS.set(CheckResult.up());
        AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
    }

    @Test
    void probesAnswerOnTheApplicationsPortBesideItsControllersOnceTheApplicationIsReady() {
        assertThat(BootApps.server((org.springframework.context.ConfigurableApplicationContext) context))
                .startsWith("Tomcat");
        assertThat(registry.isStarted()).isTrue();
        var ready = Http.get(base(), "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"name\":\"inventory\"");
        for (String path : new String[] {
            "/health", "/health/live", "/health/started", "/livez", "/readyz", "/healthz", "/$liveness", "/$readiness"
        }) {
            assertThat(Http.status(base(), path)).as(path).isEqualTo(200);
        }
        assertThat(Http.get(base(), "/hello").body()).isEqualTo("hello");
        var unknown = Http.get(base(), "/health/nope");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("OperationOutcome");
    }

    @Test
    void twoHundredConcurrentHttpProbesCauseOneCallOfASlowIndicator() throws Exception {
        int n = 200;
        CountDownLatch release = new CountDownLatch(1);
        SLOW_RELEASE.set(release);
        SLOW_CALLS.set(0);
        var executor = ((TomcatWebServer) ((WebServerApplicationContext) context).getWebServer())
                .getTomcat()
                .getConnector()
                .getProtocolHandler()
                .getExecutor();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                answers.add(Http.getAsync(base(), "/health/group/slow"));
            }
            // every probe is in a request thread, waiting for the one evaluation in flight (no cache: cache-ttl=0).
            // A busy request thread is not enough: one that has not yet reached the engine when the check is released
            // would rightly start a second call. Wait until n request threads are parked inside the engine.
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> ((org.apache.tomcat.util.threads.ThreadPoolExecutor) executor).getActiveCount() >= n
                            && requestThreadsWaitingInTheEngine() >= n);
        } finally {
            release.countDown();
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            assertThat(a.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        assertThat(SLOW_CALLS).hasValue(1);
    }

    /** Request threads parked inside the health engine (joined to an evaluation, or running the slow check). */
    private static long requestThreadsWaitingInTheEngine() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().contains("exec-"))
                .filter(e -> e.getKey().getState() == Thread.State.WAITING
                        || e.getKey().getState() == Thread.State.TIMED_WAITING)
                .filter(e -> java.util.Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().startsWith("io.vigil.health.internal.")))
                .count();
    }

    @Test
    void springsBrokenLivenessFailsVigilsLivenessUntilItIsCorrectAgain() {
        AvailabilityChangeEvent.publish(context, LivenessState.BROKEN);
        assertThat(Http.status(base(), "/health/live")).isEqualTo(503);
        assertThat(Http.status(base(), "/health/ready")).isEqualTo(200);
        AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
        assertThat(Http.status(base(), "/health/live")).isEqualTo(200);
    }

    @Test
    void aVigilLivenessFailureIsPublishedToSpringAsBrokenAndItsRecoveryAsCorrect() {
        PROCESS.set(CheckResult.down("heap exhausted"));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Http.status(base(), "/health/live") == 503);
        // the mirror is a listener: its events are delivered off the probing thread
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(availability.getLivenessState()).isEqualTo(LivenessState.BROKEN));
        PROCESS.set(CheckResult.up());
        // the check's 1 s cache decides when liveness sees the recovery
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Http.status(base(), "/health/live") == 200);
        // the mirror is a listener: its events are delivered off the probing thread
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT));
    }
}
