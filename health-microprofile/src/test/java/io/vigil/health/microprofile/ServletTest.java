package io.vigil.health.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.HealthRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The MicroProfile endpoints in a real servlet container (Jetty 12, ee10), without CDI. */
class ServletTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private record Answer(int status, String contentType, String body, java.net.http.HttpHeaders headers) {}

    private interface Body {
        void run(URI base) throws Exception;
    }

    private static void withJetty(Consumer<ServletContextHandler> setup, Body body) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/app");
        setup.accept(context);
        server.setHandler(context);
        server.start();
        try {
            body.run(URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/app"));
        } finally {
            server.stop();
        }
    }

    private static Answer get(URI base, String path) throws Exception {
        HttpResponse<String> r = CLIENT.send(
                HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
    }

    @Test
    void theInitializerMapsTheFourEndpointsAndTheServletAnswersInMicroProfileJson() throws Exception {
        try (MicroProfileHealth health =
                MicroProfileHealth.builder().defaultProcedures(false).build()) {
            health.register(new Checks.Everywhere());
            health.register(new Checks.Throwing());
            health.markStarted();
            withJetty(
                    c -> {
                        c.setAttribute(MicroProfileHealth.ATTRIBUTE, health);
                        c.addServletContainerInitializer(new MicroProfileHealthInitializer());
                    },
                    base -> {
                        Answer live = get(base, "/health/live");
                        assertThat(live.status()).isEqualTo(200);
                        assertThat(live.contentType()).startsWith("application/json");
                        assertThat(live.body())
                                .isEqualTo("{\"status\":\"UP\",\"checks\":[{\"name\":\"everywhere\","
                                        + "\"status\":\"UP\",\"data\":{\"region\":\"eu-1\",\"nodes\":3}}]}");

                        Answer ready = get(base, "/health/ready");
                        assertThat(ready.status()).isEqualTo(503);
                        assertThat(ready.body())
                                .contains("{\"name\":\"" + Checks.Throwing.class.getName() + "\",\"status\":\"DOWN\"}")
                                .doesNotContain("pool closed");

                        assertThat(get(base, "/health").status()).isEqualTo(503);
                        assertThat(get(base, "/health/started").body()).isEqualTo("{\"status\":\"UP\",\"checks\":[]}");
                    });
        }
    }

    @Test
    void theInitializerCanBeTurnedOff() throws Exception {
        try (MicroProfileHealth health =
                MicroProfileHealth.builder().defaultProcedures(false).build()) {
            withJetty(
                    c -> {
                        c.setAttribute(MicroProfileHealth.ATTRIBUTE, health);
                        c.setInitParameter(MicroProfileHealthInitializer.ENABLED, "false");
                        c.addServletContainerInitializer(new MicroProfileHealthInitializer());
                    },
                    base -> assertThat(get(base, "/health/live").status()).isEqualTo(404));
        }
    }

    @Test
    void withoutCdiAndWithoutAnInstanceTheMachineryIsMissingAnd500IsAnswered() throws Exception {
        withJetty(c -> c.addServlet(MicroProfileHealthServlet.class, "/health/*"), base -> {
            Answer a = get(base, "/health/ready");
            assertThat(a.status()).isEqualTo(500);
            assertThat(a.contentType()).startsWith("application/fhir+json");
            assertThat(a.body())
                    .contains("\"resourceType\":\"OperationOutcome\"")
                    .contains("\"exception\"");
        });
    }

    @Test
    void theMissingMachineryAnswerCarriesTheSharedHeadersOfEveryOtherError() throws Exception {
        try (MicroProfileHealth health =
                MicroProfileHealth.builder().defaultProcedures(false).build()) {
            Answer[] shared = new Answer[1];
            withJetty(
                    c -> {
                        c.setAttribute(MicroProfileHealth.ATTRIBUTE, health);
                        c.addServlet(MicroProfileHealthServlet.class, "/health/*");
                    },
                    base -> shared[0] = get(base, "/health/nope"));
            withJetty(c -> c.addServlet(MicroProfileHealthServlet.class, "/health/*"), base -> {
                Answer missing = get(base, "/health/ready");
                assertThat(missing.status()).isEqualTo(500);
                assertThat(shared[0].status()).isEqualTo(404);
                assertThat(missing.contentType()).isEqualTo(shared[0].contentType());
                for (String name : java.util.List.of("Cache-Control", "X-Content-Type-Options")) {
                    assertThat(missing.headers().firstValue(name))
                            .as(name)
                            .isEqualTo(shared[0].headers().firstValue(name))
                            .isPresent();
                }
            });
        }
    }

    @Test
    void aFailureOfTheHealthMachineryIs500AndRecovers() throws Exception {
        AtomicBoolean broken = new AtomicBoolean();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                if (broken.get()) {
                    throw new IllegalStateException("clock source unavailable");
                }
                return Instant.now();
            }
        };
        try (MicroProfileHealth health = MicroProfileHealth.builder()
                .defaultProcedures(false)
                .registry(HealthRegistry.builder().clock(clock))
                .build()) {
            health.register(new Checks.Everywhere());
            health.markStarted();
            withJetty(
                    c -> {
                        c.setAttribute(MicroProfileHealth.ATTRIBUTE, health);
                        c.addServlet(MicroProfileHealthServlet.class, "/health/*");
                    },
                    base -> {
                        broken.set(true);
                        Answer failed = get(base, "/health/ready");
                        assertThat(failed.status()).isEqualTo(500);
                        assertThat(failed.body()).contains("OperationOutcome").doesNotContain("clock source");

                        broken.set(false);
                        assertThat(get(base, "/health/ready").status()).isEqualTo(200);
                    });
        }
    }
}
