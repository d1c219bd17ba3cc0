package io.vigil.health.microprofile;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.HealthRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;
import org.junit.jupiter.api.Test;

/** The extension in a real CDI container (Weld SE); settings come from microprofile-config.properties. */
class CdiExtensionTest {

    @Readiness
    @Dependent
    static class DependentCheck implements HealthCheck {
        static final AtomicInteger CREATED = new AtomicInteger();
        static final AtomicInteger DESTROYED = new AtomicInteger();

        DependentCheck() {
            CREATED.incrementAndGet();
        }

        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("dependent");
        }

        @PreDestroy
        void destroy() {
            DESTROYED.incrementAndGet();
        }
    }

    @ApplicationScoped
    static class Producers {
        @Produces
        @Liveness
        @Startup
        HealthCheck produced() {
            return () -> HealthCheckResponse.named("produced")
                    .withData("source", "producer")
                    .up()
                    .build();
        }
    }

    @ApplicationScoped
    static class NotAHealthProcedure implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            return HealthCheckResponse.up("not-a-procedure");
        }
    }

    @Liveness
    @ApplicationScoped
    static class BrokenCheck implements HealthCheck {
        @Override
        public HealthCheckResponse call() {
            throw new IllegalStateException("broken");
        }
    }

    private static WeldContainer boot() {
        // without discovery Weld loads no extension by itself; a deployment finds it in META-INF/services
        return new Weld()
                .disableDiscovery()
                .addExtension(new MicroProfileHealthExtension())
                .addBeanClasses(DependentCheck.class, Producers.class, NotAHealthProcedure.class, BrokenCheck.class)
                .initialize();
    }

    @Test
    void qualifiedBeansAndProducersAreServedAndUnqualifiedOnesAreNot() {
        try (WeldContainer cdi = boot()) {
            MicroProfileHealth health = cdi.select(MicroProfileHealth.class).get();

            assertThat(health.registry().checkNames())
                    .containsExactlyInAnyOrder(
                            DependentCheck.class.getName(),
                            Producers.class.getName() + "#produced",
                            BrokenCheck.class.getName());
            Json.Answer live = Json.get(health.handler(), "/health/live");
            assertThat(live.status()).isEqualTo(503);
            assertThat(live.check("produced").toString())
                    .isEqualTo("{\"name\":\"produced\",\"status\":\"UP\",\"data\":{\"source\":\"producer\"}}");
            assertThat(live.check(BrokenCheck.class.getName()).get("status").asText())
                    .isEqualTo("DOWN");
            assertThat(Json.get(health.handler(), "/health/ready").checkNames()).containsExactly("dependent");
            assertThat(Json.get(health.handler(), "/health/started").checkNames())
                    .containsExactly("produced");
            assertThat(Json.get(health.handler(), "/health").checkNames()).doesNotContain("not-a-procedure");
        }
    }

    @Test
    void theDeploymentEndsTheStartupWindowAndTheExtensionFindsItsInstance() {
        try (WeldContainer cdi = boot()) {
            MicroProfileHealth health = cdi.getBeanManager()
                    .getExtension(MicroProfileHealthExtension.class)
                    .health();

            assertThat(health).isSameAs(cdi.select(MicroProfileHealth.class).get());
            assertThat(health.registry().isStarted()).isTrue();
            assertThat(Json.get(health.handler(), "/health/ready").status()).isEqualTo(200);
        }
    }

    @Test
    void aDependentCheckIsCreatedOnceAndDestroyedWhenTheContainerShutsDown() {
        int created = DependentCheck.CREATED.get();
        int destroyed = DependentCheck.DESTROYED.get();
        HealthRegistry registry;
        try (WeldContainer cdi = boot()) {
            MicroProfileHealth health = cdi.select(MicroProfileHealth.class).get();
            registry = health.registry();
            for (int i = 0; i < 3; i++) {
                assertThat(Json.get(health.handler(), "/health/ready").status()).isEqualTo(200);
            }
            assertThat(DependentCheck.CREATED.get() - created).isEqualTo(1);
            assertThat(DependentCheck.DESTROYED.get() - destroyed).isZero();
        }
        assertThat(DependentCheck.DESTROYED.get() - destroyed).isEqualTo(1);
        assertThat(registry.isDraining()).isTrue();
    }
}
