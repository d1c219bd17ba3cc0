package io.vigil.health.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.StatusPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The out-of-service control over the JDK server: authenticated POST/DELETE, everything else refused. */
class JdkHealthServerOperatorControlTest {
    private static final byte[] TOKEN = "Bearer s3cret".getBytes(StandardCharsets.UTF_8);

    private final HealthRegistry registry =
            HealthRegistry.builder().startedImmediately().build();
    private final HttpClient client = HttpClient.newHttpClient();
    private JdkHealthServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
        registry.close();
    }

    private void start(boolean control, StatusPolicy policy) {
        registry.register("db", CheckResult::up);
        HealthHandler handler = HealthHandler.builder(registry)
                .operatorControl(control)
                .statusPolicy(policy)
                .build();
        server = JdkHealthServer.builder(handler)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .authorizer(h -> MessageDigest.isEqual(h.getBytes(StandardCharsets.UTF_8), TOKEN))
                .start();
    }

    private HttpResponse<String> send(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAuthorizedOperatorTakesTheInstanceOutAndBackWhileLivenessStaysUp() throws Exception {
        start(true, StatusPolicy.defaults());
        HttpResponse<String> out =
                send("POST", "/health/out-of-service?reason=INC-42%20disk&by=alice", "Bearer s3cret");
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/fhir+json");
        assertThat(out.body()).contains("\"severity\":\"information\"", "(INC-42 disk), by alice");

        HttpResponse<String> ready = send("GET", "/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("Out of service since ", "(INC-42 disk), by alice");
        assertThat(send("GET", "/health/live", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/readyz", null).statusCode()).isEqualTo(503);

        HttpResponse<String> back = send("DELETE", "/health/out-of-service", "Bearer s3cret");
        assertThat(back.statusCode()).isEqualTo(200);
        assertThat(back.body()).contains("Back in service");
        assertThat(send("DELETE", "/health/out-of-service", "Bearer s3cret").body())
                .contains("Already in service");
        assertThat(send("GET", "/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void anonymousCallersGet401AndRefusedOnes403AndNothingChanges() throws Exception {
        start(true, StatusPolicy.defaults());
        HttpResponse<String> anonymous = send("POST", "/health/out-of-service?reason=x", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(anonymous.body()).contains("\"resourceType\":\"OperationOutcome\"", "\"code\":\"login\"");

        HttpResponse<String> wrong = send("POST", "/health/out-of-service?reason=x", "Bearer guess");
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(wrong.body()).contains("\"code\":\"forbidden\"").doesNotContain("guess");
        assertThat(send("DELETE", "/health/out-of-service", "Bearer guess").statusCode())
                .isEqualTo(403);
        assertThat(registry.outOfService()).isEmpty();
    }

    @Test
    void otherMethodsGet405WithAllowAndABadReason400() throws Exception {
        start(true, StatusPolicy.defaults());
        for (String m : new String[] {"GET", "PUT", "PATCH"}) {
            HttpResponse<String> r = send(m, "/health/out-of-service?reason=x", "Bearer s3cret");
            assertThat(r.statusCode()).as(m).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).hasValue("POST, DELETE, OPTIONS");
        }
        HttpResponse<String> missing = send("POST", "/health/out-of-service", "Bearer s3cret");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("\"code\":\"required\"");
        HttpResponse<String> control = send("POST", "/health/out-of-service?reason=a%0Ab", "Bearer s3cret");
        assertThat(control.statusCode()).isEqualTo(400);
        assertThat(control.body()).contains("control characters");
        assertThat(send("POST", "/health/out-of-service?reason=" + "x".repeat(201), "Bearer s3cret")
                        .statusCode())
                .isEqualTo(400);
        assertThat(registry.outOfService()).isEmpty();
    }

    @Test
    void theControlIsNotServedUnlessEnabled() throws Exception {
        start(false, StatusPolicy.defaults());
        assertThat(send("POST", "/health/out-of-service?reason=x", "Bearer s3cret")
                        .statusCode())
                .isEqualTo(404);
        assertThat(registry.outOfService()).isEmpty();
    }

    @Test
    void theEnvoyPresetTellsEnvoyToDropTheHostAtOnceWhileOutOfServiceOrDraining() throws Exception {
        start(true, StatusPolicy.envoy());
        String header = "x-envoy-immediate-health-check-fail";
        assertThat(send("GET", "/health/ready", null).headers().firstValue(header))
                .isEmpty();

        send("POST", "/health/out-of-service?reason=x", "Bearer s3cret");
        HttpResponse<String> out = send("GET", "/health/ready", null);
        assertThat(out.statusCode()).isEqualTo(503);
        assertThat(out.headers().firstValue(header)).hasValue("true");
        assertThat(send("GET", "/health/live", null).headers().firstValue(header))
                .isEmpty();

        send("DELETE", "/health/out-of-service", "Bearer s3cret");
        assertThat(send("GET", "/health/ready", null).headers().firstValue(header))
                .isEmpty();
        registry.startDraining();
        assertThat(send("GET", "/health/ready", null).headers().firstValue(header))
                .hasValue("true");
    }
}
