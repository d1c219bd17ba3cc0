package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.test.Background;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;

/** Draining on shutdown: readiness 503 and liveness 200 while the web server shuts down gracefully. */
class ShutdownTest {

    /** A request that stays in flight until released. */
    static final class Slow extends HttpServlet {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            resp.getWriter().write("done");
        }
    }

    @Test
    void readinessIs503DuringAGracefulShutdownWithARequestInFlightWhichCompletes() throws Exception {
        Slow slow = new Slow();
        ConfigurableApplicationContext context = BootApps.start(
                c -> c.registerBean(
                        "slow", ServletRegistrationBean.class, () -> new ServletRegistrationBean<>(slow, "/slow")),
                new Class<?>[0],
                "server.shutdown=graceful",
                "vigil.health.port=0");
        URI app = BootApps.base(context);
        URI probes = Http.local(context.getBean(EarlyHealthServer.class).port());
        ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
        assertThat(Http.status(probes, "/health/ready")).isEqualTo(200);
        assertThat(Http.status(app, "/health/ready")).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> inFlight = Http.getAsync(app, "/slow");
        assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = Background.run(context::close);
        try {
            // the web server waits for the request; the probe server answers throughout
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Http.status(probes, "/health/ready") == 503);
            assertThat(Http.status(probes, "/health/live")).isEqualTo(200);
            // the mirror is a listener: its events are delivered off the probing thread
            Awaitility.await()
                    .atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC));
            assertThat(inFlight).isNotDone();
            assertThat(closing).isNotDone();
        } finally {
            slow.release.countDown();
        }
        HttpResponse<String> done = inFlight.get(30, TimeUnit.SECONDS);
        assertThat(done.statusCode()).isEqualTo(200);
        assertThat(done.body()).isEqualTo("done");
        closing.get(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> Http.status(probes, "/health/live"))
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void theDrainDelayKeepsTheServerAcceptingWhileReadinessIs503() throws Exception {
        ConfigurableApplicationContext context =
                BootApps.start(c -> {}, new Class<?>[0], "vigil.health.drain-delay=30s");
        URI app = BootApps.base(context);
        assertThat(Http.status(app, "/health/ready")).isEqualTo(200);
        Thread closer = new Thread(context::close, "closer");
        closer.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Http.status(app, "/health/ready") == 503);
            assertThat(Http.status(app, "/health/live")).isEqualTo(200);
            assertThat(closer.isAlive()).isTrue();
        } finally {
            closer.interrupt(); // cuts the delay short
            closer.join(30_000);
        }
        assertThat(closer.isAlive()).isFalse();
        assertThat(context.isActive()).isFalse();
    }
}
