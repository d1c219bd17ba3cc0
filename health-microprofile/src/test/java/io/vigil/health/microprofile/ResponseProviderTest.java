package io.vigil.health.microprofile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ServiceLoader;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.spi.HealthCheckResponseProvider;
import org.junit.jupiter.api.Test;

class ResponseProviderTest {

    @Test
    void theProviderIsTheOnlyOneServiceLoaderFinds() {
        assertThat(ServiceLoader.load(HealthCheckResponseProvider.class).stream()
                        .map(p -> p.type().getName()))
                .containsExactly(VigilHealthCheckResponseProvider.class.getName());
    }

    @Test
    void theStaticApiBuildsResponsesWithDataInOrder() {
        HealthCheckResponse r = HealthCheckResponse.named("db")
                .up()
                .withData("url", "jdbc:h2:mem:")
                .withData("connections", 3L)
                .withData("primary", true)
                .build();

        assertThat(r.getName()).isEqualTo("db");
        assertThat(r.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(r.getData())
                .hasValueSatisfying(d -> assertThat(d)
                        .containsExactly(
                                org.assertj.core.api.Assertions.entry("url", "jdbc:h2:mem:"),
                                org.assertj.core.api.Assertions.entry("connections", 3L),
                                org.assertj.core.api.Assertions.entry("primary", true)));
    }

    @Test
    void shortcutsAndStatusFlagsWork() {
        assertThat(HealthCheckResponse.up("a").getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(HealthCheckResponse.down("b").getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(HealthCheckResponse.named("c").status(false).build().getStatus())
                .isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(HealthCheckResponse.up("a").getData()).isEmpty();
    }

    @Test
    void aResponseWithoutAStatusIsDown() {
        assertThat(HealthCheckResponse.named("forgot").build().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
    }

    @Test
    void aResponseNeedsAName() {
        assertThatThrownBy(() -> HealthCheckResponse.builder().up().build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HealthCheckResponse.named(" ").up().build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builtDataCannotBeChangedAfterwards() {
        HealthCheckResponse r =
                HealthCheckResponse.named("x").withData("k", "v").up().build();
        assertThatThrownBy(() -> r.getData().orElseThrow().put("k", "changed"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
