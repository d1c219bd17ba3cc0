package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Status;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.test.EmbeddedRedis;
import io.vigil.health.test.LogCapture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** The dependency-free RESP probe against a real redis-server. */
class RespProbeAgainstRealRedisTest {
    private static final String PASSWORD = "pr0be-S3cret#value";
    private static EmbeddedRedis open;
    private static EmbeddedRedis locked;

    @BeforeAll
    static void startServers() {
        open = EmbeddedRedis.startDefault();
        locked = EmbeddedRedis.builder().requirePass(PASSWORD).start();
        try (Jedis admin = new Jedis(locked.host(), locked.port())) {
            admin.auth(PASSWORD);
            admin.sendCommand(Protocol.Command.ACL, "SETUSER", "health", "on", ">health-Pa55", "+ping", "+info");
            admin.sendCommand(Protocol.Command.ACL, "SETUSER", "pinger", "on", ">pinger-Pa55", "+ping");
        }
    }

    @AfterAll
    static void stopServers() {
        open.close();
        locked.close();
    }

    private static String uri(EmbeddedRedis redis) {
        return "redis://127.0.0.1:" + redis.port();
    }

    @Test
    void aRunningMasterIsUpWithRoundTripVersionAndRole() {
        CheckResult r = RedisProbeCheck.of(uri(open)).check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data())
                .containsEntry("host", "127.0.0.1")
                .containsEntry("port", open.port())
                .containsEntry("database", 0)
                .containsEntry("tls", false)
                .containsEntry("role", "master")
                .containsEntry("mode", "standalone")
                .containsEntry("connectedReplicas", 0L)
                .containsKeys("roundTripMs", "version");
        assertThat((String) r.data().get("version")).matches("\\d+\\.\\d+\\.\\d+");
        assertThat((Double) r.data().get("roundTripMs")).isNotNegative();
        assertThat(r.message()).startsWith("Redis " + r.data().get("version") + " master answered PING in ");
    }

    @Test
    void aDatabaseFromThePathIsSelected() {
        CheckResult r = RedisProbeCheck.of(uri(open) + "/3").check();
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("database", 3);
    }

    @Test
    void aDatabaseBeyondTheServersCountIsDownWithRedisOwnWords() {
        CheckResult r = RedisProbeCheck.of(uri(open) + "/99").check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("Redis answered with an error: ERR DB index is out of range");
    }

    @Test
    void aStoppedServerIsDownAndARestartedOneIsUpAgain() {
        try (EmbeddedRedis redis = EmbeddedRedis.startDefault()) {
            RedisProbeCheck check = RedisProbeCheck.of(uri(redis));
            assertThat(check.check().status()).isEqualTo(Status.UP);

            redis.stop();
            CheckResult down = check.check();
            assertThat(down.status()).isEqualTo(Status.DOWN);
            assertThat(down.message())
                    .startsWith("cannot connect to 127.0.0.1:" + redis.port() + ": Connection refused");

            redis.start();
            assertThat(check.check().status()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aMissingPasswordIsDownWithNoAuth() {
        CheckResult r = RedisProbeCheck.of(uri(locked)).check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message())
                .isEqualTo("Redis requires authentication and the check did not authenticate:"
                        + " NOAUTH Authentication required.");
    }

    @Test
    void aWrongPasswordIsDownWithWrongPass() {
        CheckResult r = RedisProbeCheck.of("redis://:not-the-password@127.0.0.1:" + locked.port())
                .check();
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).startsWith("Redis rejected the login: WRONGPASS");
        assertThat(r.toString()).doesNotContain("not-the-password");
    }

    @Test
    void theRightPasswordFromTheUriOrTheBuilderIsUp() {
        String encoded = java.net.URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);
        assertThat(RedisProbeCheck.of("redis://:" + encoded + "@127.0.0.1:" + locked.port())
                        .check()
                        .status())
                .isEqualTo(Status.UP);
        assertThat(RedisProbeCheck.builder(uri(locked))
                        .password(PASSWORD)
                        .build()
                        .check()
                        .status())
                .isEqualTo(Status.UP);
    }

    @Test
    void anAclUserAuthenticatesWithUserAndPassword() {
        CheckResult r = RedisProbeCheck.of("redis://health:health-Pa55@127.0.0.1:" + locked.port())
                .check();
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("role", "master");

        CheckResult wrong = RedisProbeCheck.builder(uri(locked))
                .credentials("health", "nope")
                .build()
                .check();
        assertThat(wrong.status()).isEqualTo(Status.DOWN);
        assertThat(wrong.message()).startsWith("Redis rejected the login: WRONGPASS");
    }

    @Test
    void anAclUserAllowedOnlyPingIsUpWithoutInfoData() {
        CheckResult r = RedisProbeCheck.builder(uri(locked))
                .credentials("pinger", "pinger-Pa55")
                .build()
                .check();
        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.data()).containsKey("roundTripMs").doesNotContainKeys("version", "role");
    }

    @Test
    void aRejectedPasswordAppearsNowhereInResultsResponsesOrLogs() {
        String wrong = "Wr0ng-" + PASSWORD;
        try (LogCapture logs = LogCapture.of("io.vigil");
                HealthRegistry health =
                        HealthRegistry.builder().startedImmediately().build()) {
            health.register(
                    "redis-wrong",
                    RedisProbeCheck.builder(uri(locked)).password(wrong).build(),
                    CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
            health.register(
                    "redis-uri",
                    RedisProbeCheck.of("redis://admin:" + wrong + "@127.0.0.1:" + locked.port()),
                    CheckPolicy.builder().cacheTtl(Duration.ZERO).build());
            HealthHandler handler =
                    HealthHandler.builder(health).details(DetailsPolicy.ALWAYS).build();

            for (String accept :
                    List.of("application/json", "application/fhir+json", "application/health+json", "text/plain")) {
                HealthResponse response = handler.handle(HealthRequest.builder("GET", "/health")
                        .accept(accept)
                        .authorized(true)
                        .build());
                String body = new String(response.body(), StandardCharsets.UTF_8);
                assertThat(response.status()).as(accept).isEqualTo(503);
                assertThat(body)
                        .as(accept)
                        .contains("WRONGPASS")
                        .doesNotContain(wrong)
                        .doesNotContain(PASSWORD);
            }
            assertThat(health.latest().toString()).contains("WRONGPASS").doesNotContain(wrong);
            assertThat(health.flushEvents(Duration.ofSeconds(10))).isTrue(); // transition lines come shortly after
            assertThat(logs.everything())
                    .contains("redis-wrong")
                    .doesNotContain(wrong)
                    .doesNotContain(PASSWORD);
        }
    }
}
