package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.vigil.health.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class StatusPolicyTest {
    @ParameterizedTest
    @CsvSource({"ERROR, 500", "LICENSE_INVALID, 402", "LOCKED, 423", "DOWN, 503", "DEGRADED, 200", "UP, 200"})
    void theDefaultTable(Outcome outcome, int status) {
        assertThat(StatusPolicy.defaults().status(outcome)).isEqualTo(status);
        assertThat(StatusPolicy.kubeletSafe().status(outcome)).isEqualTo(status);
        assertThat(StatusPolicy.envoy().status(outcome)).isEqualTo(status);
        assertThat(StatusPolicy.consul().status(outcome)).isEqualTo(outcome == Outcome.DEGRADED ? 429 : status);
    }

    @Test
    void envoyMarksDegradedAnswersAndWithdrawnInstances() {
        StatusPolicy envoy = StatusPolicy.envoy();
        assertThat(envoy.toBuilder().build()).isEqualTo(envoy);
        for (Outcome o : Outcome.values()) {
            assertThat(StatusPolicy.defaults().toBuilder()
                            .header(o, "x-envoy-degraded", "true")
                            .withdrawnHeader("x-envoy-immediate-health-check-fail", "true")
                            .build()
                            .equals(envoy))
                    .isEqualTo(o == Outcome.DEGRADED);
        }
    }

    @Test
    void onlyTheKubeletSafePresetCarriesItsGuarantee() {
        assertThat(StatusPolicy.kubeletSafe().isKubeletSafe()).isTrue();
        assertThat(StatusPolicy.kubeletSafe().toBuilder().build().isKubeletSafe())
                .isTrue();
        assertThat(StatusPolicy.defaults().isKubeletSafe()).isFalse();
        assertThat(StatusPolicy.consul().isKubeletSafe()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void aKubeletSafePolicyRefusesToLetAFailingOutcomePassOrAPassingOneFail(Outcome outcome) {
        StatusPolicy.Builder b = StatusPolicy.kubeletSafe().toBuilder();
        boolean passes = outcome == Outcome.UP || outcome == Outcome.DEGRADED;
        assertThatIllegalArgumentException()
                .isThrownBy(() -> b.status(outcome, passes ? 429 : 200))
                .withMessageContaining("kubelet-safe");
        b.status(outcome, passes ? 203 : 418);
        assertThat(b.build().status(outcome)).isEqualTo(passes ? 203 : 418);
    }

    @Test
    void aPlainBuilderMayMapAnyOutcomeAnywhere() {
        StatusPolicy p = StatusPolicy.builder()
                .status(Outcome.DOWN, 200)
                .status(Outcome.UP, 599)
                .build();
        assertThat(p.status(Outcome.DOWN)).isEqualTo(200);
        assertThat(p.status(Outcome.UP)).isEqualTo(599);
        assertThat(StatusPolicy.defaults().status(Outcome.DOWN)).isEqualTo(503);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 100, 199, 204, 304, 600})
    void statusesOutsideTheAnswerRangeAreRefused(int code) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StatusPolicy.builder().status(Outcome.UP, code));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Content-Type",
                "content-length",
                "Cache-Control",
                "Retry-After",
                "Connection",
                "bad name",
                "",
                "x:y"
            })
    void reservedOrInvalidHeaderNamesAreRefused(String name) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StatusPolicy.builder().header(Outcome.UP, name, "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nSet-Cookie: x", "tab\t", "é"})
    void headerValuesThatCouldSplitAResponseAreRefused(String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StatusPolicy.builder().header(Outcome.UP, "x-a", value));
    }

    @Test
    void presetsAreNamedForConfigurationFiles() {
        assertThat(StatusPolicy.Preset.of("kubelet-safe").policy()).isSameAs(StatusPolicy.kubeletSafe());
        assertThat(StatusPolicy.Preset.of(" Consul ").policy()).isSameAs(StatusPolicy.consul());
        assertThat(StatusPolicy.Preset.of("envoy").policy()).isSameAs(StatusPolicy.envoy());
        assertThat(StatusPolicy.Preset.of("DEFAULTS").policy()).isSameAs(StatusPolicy.defaults());
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StatusPolicy.Preset.of("haproxy"))
                .withMessageContaining("kubelet-safe");
    }

    @Test
    void configuredHeadersKeepTheirOrder() {
        StatusPolicy p = StatusPolicy.builder()
                .header(Outcome.DOWN, "x-b", "2")
                .header(Outcome.DOWN, "x-a", "1")
                .build();
        assertThat(p.toString()).contains("x-b=2, x-a=1");
        assertThat(p.hashCode()).isEqualTo(p.toBuilder().build().hashCode());
    }

    @ParameterizedTest
    @EnumSource(Outcome.class)
    void passingIsDefinedOnceAndTheDefaultTableAgreesWithIt(Outcome outcome) {
        assertThat(StatusPolicy.defaults().status(outcome) == 200).isEqualTo(outcome.isPassing());
        assertThat(StatusPolicy.kubeletSafe().status(outcome) < 400).isEqualTo(outcome.isPassing());
    }
}
