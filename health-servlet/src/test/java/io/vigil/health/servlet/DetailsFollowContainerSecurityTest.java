package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.TaskLock;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.servlet.Containers.Mount;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.servlet.Containers.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code WHEN_AUTHORIZED} bound to the container's own security (BASIC authentication, a role) and to a
 * caller-supplied bearer-token predicate. Anonymous callers and authenticated callers without the role see status,
 * outcome and names only; secrets appear for nobody.
 */
class DetailsFollowContainerSecurityTest {
    private static final String SECRET = "hunter2";
    private static final String TOKEN = "Bearer probe-token-31337";

    private HealthRegistry registry;
    private TaskLock lock;

    @BeforeEach
    void registry() {
        registry = HealthRegistry.builder().startedImmediately().build();
        registry.register(
                "orders-db",
                () -> CheckResult.down(
                                "cannot reach jdbc:postgresql://app:" + SECRET + "@db:5432/orders?password=" + SECRET)
                        .withData("pool", "main"));
        lock = registry.lock("reindex", "Reindexing patients");
    }

    @AfterEach
    void close() {
        lock.close();
        registry.close();
    }

    private Running start(Transport t) {
        HealthHandler handler = HealthHandler.builder(registry)
                .details(DetailsPolicy.WHEN_AUTHORIZED)
                .build();
        return t.start(handler, Containers.ROLE, TOKEN::equals, Mount.root().withBasicAuth());
    }

    private static String basic(String[] credentials) {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString((credentials[0] + ":" + credentials[1]).getBytes(StandardCharsets.UTF_8));
    }

    private static void noDetails(String body) {
        assertThat(body)
                .contains("orders-db", "reindex", "LOCKED")
                .doesNotContain("\"data\"", "main", "Reindexing", "cannot reach", SECRET);
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void anonymousCallersSeeStatusOutcomeAndNamesOnly(Transport t) throws Exception {
        try (Running r = start(t)) {
            for (String type : List.of("application/json", "application/fhir+json", "text/plain")) {
                Http.Raw answer = Http.raw(r.base(), "GET", "/health", "Accept: " + type);
                assertThat(answer.status()).isEqualTo(423);
                assertThat(answer.body()).contains("reindex").doesNotContain("Reindexing", "cannot reach", SECRET);
            }
            noDetails(Http.get(r.base(), "health").body());
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void authenticatedCallersWithoutTheRoleSeeNoDetails(Transport t) throws Exception {
        try (Running r = start(t)) {
            noDetails(Http.get(r.base(), "health", "Authorization", basic(Containers.GUEST))
                    .body());
            String[] wrongPassword = {Containers.OPS[0], "not-the-password"};
            var answer = Http.get(r.base(), "health", "Authorization", basic(wrongPassword));
            if (t == Transport.TOMCAT) {
                // Tomcat's preemptive authentication refuses wrong credentials itself
                assertThat(answer.statusCode()).isEqualTo(401);
                assertThat(answer.body()).doesNotContain("orders-db", "Reindexing", "cannot reach", SECRET);
            } else {
                noDetails(answer.body());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void callersInTheRoleSeeDetailsButNoSecrets(Transport t) throws Exception {
        try (Running r = start(t)) {
            String body = Http.get(r.base(), "health", "Authorization", basic(Containers.OPS))
                    .body();
            assertThat(body)
                    .contains("\"data\"", "\"pool\":\"main\"", "Reindexing patients", "cannot reach")
                    .doesNotContain(SECRET);
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void aBearerTokenPredicateAuthorizesToo(Transport t) throws Exception {
        try (Running r = start(t)) {
            assertThat(Http.get(r.base(), "health", "Authorization", TOKEN).body())
                    .contains("Reindexing patients", "cannot reach")
                    .doesNotContain(SECRET);
            noDetails(Http.get(r.base(), "health", "Authorization", "Bearer guessed")
                    .body());
        }
    }
}
