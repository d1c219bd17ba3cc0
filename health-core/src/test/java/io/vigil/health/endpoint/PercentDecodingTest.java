package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PercentDecodingTest {
    @Test
    void textWithoutEscapesIsReturnedAsItIs() {
        String s = "/health/ready";
        assertThat(PercentDecoding.decode(s, false)).isSameAs(s);
    }

    @Test
    void escapesDecodeAsUtf8() {
        assertThat(PercentDecoding.decode("/health/group/caf%C3%A9", false)).isEqualTo("/health/group/café");
        assertThat(PercentDecoding.decode("%2Fhealth", false)).isEqualTo("/health");
        assertThat(PercentDecoding.decode("%e6%97%a5", false)).isEqualTo("日");
    }

    @Test
    void plusIsASpaceOnlyInTheQuery() {
        assertThat(PercentDecoding.decode("a+b", true)).isEqualTo("a b");
        assertThat(PercentDecoding.decode("a+b", false)).isEqualTo("a+b");
        assertThat(PercentDecoding.decode("a%2Bb", true)).isEqualTo("a+b");
    }

    @Test
    void unescapedNonAsciiNextToAnEscapeSurvives() {
        assertThat(PercentDecoding.decode("😀%20é", false)).isEqualTo("😀 é");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%", "%2", "a%zz", "%G0", "%C3", "%C3%28", "%FF", "%ED%A0%80", "%C0%AF"})
    void incompleteNonHexOrNonUtf8EscapesAreRefused(String raw) {
        assertThat(PercentDecoding.decode(raw, false)).isNull();
        assertThat(PercentDecoding.decode(raw, true)).isNull();
    }
}
