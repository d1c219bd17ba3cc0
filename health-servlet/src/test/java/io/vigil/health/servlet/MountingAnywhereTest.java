package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.servlet.Containers.Mount;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.servlet.Containers.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The servlet hands the handler the path within the context, so it can be mapped anywhere in any context. */
class MountingAnywhereTest {
    private HealthRegistry registry;

    @BeforeEach
    void registry() {
        registry = HealthRegistry.builder().startedImmediately().build();
        registry.register("db", () -> CheckResult.up());
    }

    @AfterEach
    void close() {
        registry.close();
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"JETTY", "TOMCAT"})
    void mappedAtHealthInsideAnApplicationContext(Transport t) throws Exception {
        HealthServlet servlet = new HealthServlet(registry);
        try (Running r = t.start(servlet, Mount.root().inContext("/shop").mappedAt("/health/*"))) {
            assertThat(r.base().getPath()).isEqualTo("/shop/");
            assertThat(Http.raw(r.base(), "GET", "/shop/health/ready").status()).isEqualTo(200);
            assertThat(Http.raw(r.base(), "GET", "/shop/health/live").status()).isEqualTo(200);
            assertThat(Http.raw(r.base(), "GET", "/shop/health").body()).contains("\"db\"");
            assertThat(Http.raw(r.base(), "GET", "/shop/health/").status()).isEqualTo(200);
            Answers.operationOutcome(Http.raw(r.base(), "GET", "/shop/health/nope"), 404);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"JETTY", "TOMCAT"})
    void mappedAtTheRootOfAManagementContextWithAnEmptyBasePath(Transport t) throws Exception {
        HealthServlet servlet =
                new HealthServlet(HealthHandler.builder(registry).basePath("").build());
        try (Running r = t.start(servlet, Mount.root().inContext("/management"))) {
            for (String p : new String[] {
                "/management/ready",
                "/management/live",
                "/management/started",
                "/management/livez",
                "/management/readyz",
                "/management/healthz",
                "/management/$readiness",
                "/management/"
            }) {
                assertThat(Http.raw(r.base(), "GET", p).status()).as(p).isEqualTo(200);
            }
            Answers.operationOutcome(Http.raw(r.base(), "GET", "/management/health/ready"), 404);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Transport.class,
            names = {"JETTY", "TOMCAT"})
    void severalMappingsAnswerTheSame(Transport t) throws Exception {
        HealthServlet servlet = new HealthServlet(
                HealthHandler.builder(registry).versionPrefixes("R4", "STU3").build());
        try (Running r = t.start(servlet, Mount.root().inContext("/fhir").mappedAt("/R4/*", "/STU3/*"))) {
            for (String p : new String[] {"/$liveness", "/$readiness", "/health/ready", "/livez"}) {
                Http.Raw r4 = Http.raw(r.base(), "GET", "/fhir/R4" + p, "Accept: text/plain");
                Http.Raw stu3 = Http.raw(r.base(), "GET", "/fhir/STU3" + p, "Accept: text/plain");
                assertThat(r4.status()).as(p).isEqualTo(200);
                assertThat(stu3.status()).as(p).isEqualTo(200);
                assertThat(stu3.headers().get("content-type"))
                        .isEqualTo(r4.headers().get("content-type"));
                assertThat(stu3.body()).isEqualTo(r4.body());
            }
            Answers.operationOutcome(Http.raw(r.base(), "GET", "/fhir/R4/$everything"), 404);
        }
    }
}
