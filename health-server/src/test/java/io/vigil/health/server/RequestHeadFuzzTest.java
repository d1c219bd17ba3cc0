package io.vigil.health.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the JDK server's request-head parser: any bytes a client sends give a head or a clean 4xx refusal, never
 * an exception, and an accepted head is well-formed. {@code mvn verify} replays the seed inputs next to this class
 * (src/test/resources/.../RequestHeadFuzzTestInputs); {@code -Pfuzz} fuzzes for real (JAZZER_FUZZ=1).
 */
class RequestHeadFuzzTest {
    private static final int MAX_HEADERS = 100;

    @FuzzTest(maxDuration = "60s")
    void anyBytesGiveAHeadOrACleanRefusal(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        int start = 0;
        while (start < bytes.length && (bytes[start] == '\r' || bytes[start] == '\n')) {
            start++; // the server skips empty lines before a request line, as RFC 9112 allows
        }
        int end = RequestHead.endOfHead(bytes, start, bytes.length);
        if (end < 0) {
            return; // not complete: the server keeps reading (bounded by maxHeaderBytes and requestTimeout)
        }
        RequestHead.Parsed p = RequestHead.parse(bytes, start, end, MAX_HEADERS);
        assertThat(p.head() == null).as("exactly one of head and refusal").isNotEqualTo(p.refusal() == null);
        if (p.refusal() != null) {
            assertThat(p.refusal().status()).isBetween(400, 499);
            assertThat(p.refusal().code()).isNotBlank();
            assertThat(p.refusal().diagnostics()).isNotBlank();
            return;
        }
        RequestHead h = p.head();
        assertThat(h.method()).isNotEmpty().doesNotContain(" ", "\r", "\n");
        assertThat(h.path()).isNotEmpty().doesNotContain("\r", "\n", " ");
        assertThat(h.headers().values().stream().mapToInt(java.util.List::size).sum())
                .isLessThanOrEqualTo(MAX_HEADERS);
        h.headers().forEach((name, values) -> {
            assertThat(name).isLowerCase().isNotEmpty().doesNotContain(":", " ", "\r", "\n");
            values.forEach(v -> assertThat(v).doesNotContain("\r", "\n"));
        });
    }
}
