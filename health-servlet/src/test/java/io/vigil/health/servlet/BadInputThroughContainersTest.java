package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.servlet.Containers.Mount;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.servlet.Containers.Transport;
import java.net.URI;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input sent through real containers: the handler answers with an OperationOutcome wherever the container lets
 * the request through; where the container itself rejects it (with its default URI rules, or beyond its own
 * limits), the answer is still a 4xx without a stack trace. Never a 500.
 */
class BadInputThroughContainersTest {
    private static HealthRegistry registry;
    private static final java.util.Map<String, Running> SERVERS = new java.util.HashMap<>();

    @BeforeAll
    static void startContainers() {
        registry = HealthRegistry.builder().startedImmediately().build();
        registry.register("db", () -> CheckResult.up("connected"));
        HealthHandler handler = HealthHandler.builder(registry).build();
        for (Transport t : Transport.values()) {
            SERVERS.put(t + "/lenient", t.start(handler, null, null, Mount.root()));
            SERVERS.put(
                    t + "/default", t.start(handler, null, null, Mount.root().withDefaultUriRules()));
        }
    }

    @AfterAll
    static void stopContainers() throws Exception {
        for (Running r : SERVERS.values()) {
            r.close();
        }
        registry.close();
    }

    private static URI lenient(Transport t) {
        return SERVERS.get(t + "/lenient").base();
    }

    private static URI defaults(Transport t) {
        return SERVERS.get(t + "/default").base();
    }

    static Stream<Arguments> transportsAndMethods() {
        return Stream.of(Transport.values())
                .flatMap(t -> Stream.of("POST", "PUT", "DELETE", "PATCH", "TRACE", "PROPFIND")
                        .map(m -> Arguments.of(t, m)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("transportsAndMethods")
    void unsupportedMethodsAre405WithAllowAndOperationOutcome(Transport t, String method) {
        Http.Raw answer = Http.raw(lenient(t), method, "/health/ready", "Content-Length: 0");
        Answers.operationOutcome(answer, 405);
        assertThat(answer.headers()).containsEntry("allow", "GET, HEAD, OPTIONS");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void optionsIs204WithAllow(Transport t) {
        Http.Raw answer = Http.raw(lenient(t), "OPTIONS", "/health/ready");
        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.headers())
                .containsEntry("allow", "GET, HEAD, OPTIONS")
                .containsEntry("cache-control", "no-store")
                .doesNotContainKey("content-length");
        assertThat(answer.body()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void unknownPathIs404(Transport t) {
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/nope"), 404);
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/etc/passwd"), 404);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void encodedTraversalReachesTheHandlerAndIs404(Transport t) {
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/..%2f..%2fetc"), 404);
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/..%2F..%2Fetc%2Fpasswd"), 404);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void encodedTraversalWithDefaultContainerRulesIsRejectedByTheContainerWithout500(Transport t) {
        Http.Raw answer = Http.raw(defaults(t), "GET", "/health/..%2f..%2fetc");
        Answers.clientError(answer);
        assertThat(answer.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void dotSegmentTraversalIsAClientErrorWithoutInternals(Transport t) {
        for (URI base : new URI[] {lenient(t), defaults(t)}) {
            Answers.clientError(Http.raw(base, "GET", "/health/../../etc/passwd"));
            Answers.clientError(Http.raw(base, "GET", "/health/%2e%2e/%2e%2e/etc/passwd"));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedPercentEncodingIsAClientErrorWithoutInternals(Transport t) {
        Answers.clientError(Http.raw(lenient(t), "GET", "/health/%zz"));
        Answers.clientError(Http.raw(lenient(t), "GET", "/health/ready%00"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void queryBeyondTheHandlerLimitIs414(Transport t) {
        String query = "x=" + "a".repeat(HealthHandler.MAX_QUERY);
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/ready?" + query), 414);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void queryBeyondTheContainerLimitIsAClientErrorWithoutInternals(Transport t) {
        Answers.clientError(Http.raw(lenient(t), "GET", "/health/ready?x=" + "a".repeat(70_000)));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedQueryValuesAre400(Transport t) {
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/ready?verbose=maybe"), 400);
        if (t == Transport.JERSEY) {
            // Jersey re-encodes an invalid escape as a literal percent sign before any filter sees it
            assertThat(Http.raw(lenient(t), "GET", "/health/ready?exclude=%zz").status())
                    .isEqualTo(200);
        } else {
            Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/ready?exclude=%zz"), 400);
        }
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/ready?verbose=%"), 400);
        Answers.operationOutcome(Http.raw(lenient(t), "GET", "/health/ready?exclude="), 400);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void malformedAcceptIs400AndUnavailableTypeIs406(Transport t) {
        for (URI base : new URI[] {lenient(t), defaults(t)}) {
            Answers.operationOutcome(Http.raw(base, "GET", "/health/ready", "Accept: bad"), 400);
            Answers.operationOutcome(Http.raw(base, "GET", "/health/ready", "Accept: text/plain;q=x"), 400);
            Answers.operationOutcome(Http.raw(base, "GET", "/health/ready", "Accept: ;;;,/"), 400);
            Answers.operationOutcome(Http.raw(base, "GET", "/health/ready", "Accept: application/xml"), 406);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void headOfAnErrorCarriesTheLengthWithoutBody(Transport t) {
        Http.Raw get = Http.raw(lenient(t), "GET", "/health/nope");
        Http.Raw head = Http.raw(lenient(t), "HEAD", "/health/nope");
        assertThat(head.status()).isEqualTo(404);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().get("content-length")).isEqualTo(get.headers().get("content-length"));
        assertThat(head.headers().get("content-type")).isEqualTo(get.headers().get("content-type"));
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void traceWithDefaultContainerRulesIsNeverAnsweredWithTheTracedRequest(Transport t) {
        Http.Raw answer = Http.raw(defaults(t), "TRACE", "/health/ready", "X-Probe: echo-me");
        Answers.clientError(answer);
        assertThat(answer.status()).isEqualTo(405);
        assertThat(answer.body()).doesNotContain("echo-me");
    }
}
