package io.vigil.health.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthGrpc;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder refuses what could not work, and the definition is the standard service. */
class VigilHealthServiceBuilderTest {

    @Test
    void theDefinitionIsTheStandardHealthServiceWithCheckAndWatch() {
        try (HealthRegistry health = HealthRegistry.builder().build();
                VigilHealthService svc = VigilHealthService.of(health)) {
            ServerServiceDefinition d = svc.bindService();
            assertThat(d.getServiceDescriptor().getName()).isEqualTo("grpc.health.v1.Health");
            assertThat(d.getMethods())
                    .extracting(m -> m.getMethodDescriptor().getFullMethodName())
                    .containsExactlyInAnyOrder(
                            HealthGrpc.getCheckMethod().getFullMethodName(),
                            HealthGrpc.getWatchMethod().getFullMethodName());
        }
    }

    @Test
    void aliasesMustNotShadowBuiltInNamesOrEachOther() {
        try (HealthRegistry health = HealthRegistry.builder().build()) {
            VigilHealthService.Builder b = VigilHealthService.builder(health);
            for (String builtIn : new String[] {"", "readiness", "liveness", "startup", "group/x", "group/"}) {
                assertThatIllegalArgumentException().as(builtIn).isThrownBy(() -> b.alias(builtIn, Probe.READINESS));
            }
            b.alias("orders.v1.OrderService", Probe.READINESS);
            assertThatIllegalArgumentException().isThrownBy(() -> b.groupAlias("orders.v1.OrderService", "orders"));
            assertThatIllegalArgumentException().isThrownBy(() -> b.groupAlias("payments", " "));
            assertThatIllegalArgumentException().isThrownBy(() -> b.alias("x".repeat(1025), Probe.LIVENESS));
            assertThatNullPointerException().isThrownBy(() -> b.alias(null, Probe.LIVENESS));
            assertThatNullPointerException().isThrownBy(() -> b.alias("a", null));
        }
    }

    @Test
    void theWatchPeriodIsBounded() {
        try (HealthRegistry health = HealthRegistry.builder().build()) {
            VigilHealthService.Builder b = VigilHealthService.builder(health);
            assertThatIllegalArgumentException().isThrownBy(() -> b.watchPeriod(Duration.ofMillis(9)));
            assertThatIllegalArgumentException().isThrownBy(() -> b.watchPeriod(Duration.ofHours(2)));
            assertThatIllegalArgumentException().isThrownBy(() -> b.watchPeriod(Duration.ofSeconds(-1)));
            assertThatNullPointerException().isThrownBy(() -> b.watchPeriod(null));
            b.watchPeriod(Duration.ofMillis(10)).watchPeriod(Duration.ofHours(1));
        }
    }
}
