package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.test.LogCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A check that fails with an upstream's error body in its message (an OAuth token endpoint echoing a refresh token,
 * a client secret, a basic credential) leaks none of them: not in the transition log at WARN, not in any
 * representation, details shown or not.
 */
class RedactionEndToEndTest {
    private static final List<String> SECRETS =
            List.of("rt-9f8e7d6c5b4a", "cs-0a1b2c3d", "dXNlcjpodW50ZXIy", "hunter2");

    @Test
    void anOAuthErrorBodyInACheckFailureLeaksNowhere() throws Exception {
        List<String> outputs = new ArrayList<>();
        try (LogCapture log = LogCapture.of("io.vigil");
                HealthRegistry health =
                        HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "identity-provider",
                    () -> {
                        throw new IOException("token refresh failed: 400 {\"error\":\"invalid_grant\","
                                + "\"refresh_token\":\"rt-9f8e7d6c5b4a\",\"client_secret\":\"cs-0a1b2c3d\","
                                + "\"Authorization\": \"Basic dXNlcjpodW50ZXIy\"} from postgres://app:hunter2@db/x");
                    },
                    CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
            for (DetailsPolicy details : DetailsPolicy.values()) {
                HealthHandler handler =
                        HealthHandler.builder(health).details(details).build();
                for (String accept : new String[] {
                    "application/json", "application/health+json", "application/fhir+json", "text/plain", "text/html"
                }) {
                    HealthResponse r = handler.handle(HealthRequest.builder("GET", "/health/ready")
                            .accept(accept)
                            .authorized(true)
                            .build());
                    outputs.add(new String(r.body(), StandardCharsets.UTF_8));
                }
            }
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue();
            assertThat(log.lines()).as("the transition was logged").anyMatch(l -> l.contains("invalid_grant"));
            outputs.add(log.everything());
            outputs.add(health.evaluate(Probe.READINESS).toString());
        }
        assertThat(String.join("\n", outputs)).as("details were really shown").contains("invalid_grant");
        for (String output : outputs) {
            for (String secret : SECRETS) {
                assertThat(output).doesNotContain(secret);
            }
        }
    }
}
