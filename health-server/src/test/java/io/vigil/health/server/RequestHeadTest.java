package io.vigil.health.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of request heads: what is accepted, what is refused with which status. */
class RequestHeadTest {
    private static RequestHead.Parsed parse(String head) {
        byte[] b = head.replace("|", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        int end = RequestHead.endOfHead(b, 0, b.length);
        assertThat(end).as("complete head").isEqualTo(b.length);
        return RequestHead.parse(b, 0, end, 5);
    }

    @Test
    void anOrdinaryGetKeepsTheConnectionAlive() {
        RequestHead h = parse("GET /health/ready?verbose HTTP/1.1|Host: a|Accept: text/plain|Accept: */*||")
                .head();
        assertThat(h.method()).isEqualTo("GET");
        assertThat(h.path()).isEqualTo("/health/ready");
        assertThat(h.query()).isEqualTo("verbose");
        assertThat(h.header("accept")).isEqualTo("text/plain,*/*");
        assertThat(h.keepAlive()).isTrue();
        assertThat(h.hasBody()).isFalse();
    }

    @Test
    void bareLineFeedsEndLinesToo() {
        byte[] b = "GET / HTTP/1.0\nHost: a\n\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RequestHead.endOfHead(b, 0, b.length)).isEqualTo(b.length);
        assertThat(RequestHead.parse(b, 0, b.length, 5).head().http10()).isTrue();
    }

    @Test
    void anIncompleteHeadHasNoEnd() {
        byte[] b = "GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(RequestHead.endOfHead(b, 0, b.length)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "GET http://example:80/health/live?x=1 HTTP/1.1|Host: a||; /health/live; x=1",
                "GET http://example HTTP/1.1|Host: a||; /; ",
                "GET HTTP://example?x HTTP/1.1|Host: a||; /; x",
                "OPTIONS * HTTP/1.1|Host: a||; *; ",
                "GET /health/live HTTP/1.0||; /health/live; "
            })
    void targetsInEveryFormGiveAPath(String head, String path, String query) {
        RequestHead h = parse(head).head();
        assertThat(h.path()).isEqualTo(path);
        assertThat(h.query()).isEqualTo(query);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = ';',
            value = {
                "GET / HTTP/1.1||; 400",
                "GET / HTTP/1.1|Host: a|Host: b||; 400",
                "GET / HTTP/1.1|Host: a|Content-Length: 3|Transfer-Encoding: chunked||; 400",
                "GET / HTTP/1.1|Host: a|Transfer-Encoding: gzip||; 400",
                "GET / HTTP/1.1|Host: a|Content-Length: 3|Content-Length: 4||; 400",
                "GET / HTTP/1.1|Host: a|Content-Length: -1||; 400",
                "GET / HTTP/1.1|Host: a| folded||; 400",
                "GET / HTTP/1.1|Host : a||; 400",
                "GET / HTTP/1.1|Host: a\u0000||; 400",
                "GET  / HTTP/1.1|Host: a||; 400",
                "GET /a#b HTTP/1.1|Host: a||; 400",
                "GET example.com:80 HTTP/1.1|Host: a||; 400",
                "GET / HTTP/2.0|Host: a||; 505",
                "GET / HTTX/1.1|Host: a||; 400",
                "GET / HTTP/1.1|Host: a|A: 1|B: 2|C: 3|D: 4|E: 5||; 431"
            })
    void malformedOrAmbiguousHeadsAreRefused(String head, int status) {
        RequestHead.Parsed p = parse(head);
        assertThat(p.head()).isNull();
        assertThat(p.refusal().status()).isEqualTo(status);
    }

    @Test
    void aBodyEndsKeepAliveAndConnectionCloseIsHonoured() {
        assertThat(parse("POST / HTTP/1.1|Host: a|Content-Length: 2||").head().keepAlive())
                .isFalse();
        assertThat(parse("POST / HTTP/1.1|Host: a|Content-Length: 0||").head().keepAlive())
                .isTrue();
        assertThat(parse("GET / HTTP/1.1|Host: a|Transfer-Encoding: chunked||")
                        .head()
                        .hasBody())
                .isTrue();
        assertThat(parse("GET / HTTP/1.1|Host: a|Connection: keep-alive, close||")
                        .head()
                        .keepAlive())
                .isFalse();
        assertThat(parse("GET / HTTP/1.0|Connection: keep-alive||").head().keepAlive())
                .isTrue();
        assertThat(parse("GET / HTTP/1.0||").head().keepAlive()).isFalse();
    }
}
