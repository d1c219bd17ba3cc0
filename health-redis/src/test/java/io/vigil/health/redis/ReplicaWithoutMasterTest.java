package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/** A real replica, first with its master, then after the master is gone, seen through all three checks. */
class ReplicaWithoutMasterTest {
    private static EmbeddedRedis master;
    private static EmbeddedRedis replica;
    private static RedisClient lettuce;
    private static StatefulRedisConnection<String, String> connection;
    private static JedisPooled jedis;

    @BeforeAll
    static void startReplication() {
        master = EmbeddedRedis.startDefault();
        replica = RedisFixtures.replicaOf(master);
        lettuce = RedisClient.create();
        connection = lettuce.connect(
                RedisURI.Builder.redis(replica.host(), replica.port()).build());
        jedis = new JedisPooled(new HostAndPort(replica.host(), replica.port()));
    }

    @AfterAll
    static void stopReplication() {
        jedis.close();
        connection.close();
        lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        replica.close();
        master.close();
    }

    private static Map<String, HealthCheck> checks(Status linkDown) {
        return Map.of(
                "probe",
                        RedisProbeCheck.builder("redis://127.0.0.1:" + replica.port())
                                .replicaLinkDown(linkDown)
                                .build(),
                "lettuce",
                        LettuceRedisCheck.builder(connection)
                                .replicaLinkDown(linkDown)
                                .build(),
                "jedis",
                        JedisRedisCheck.builder(jedis).replicaLinkDown(linkDown).build());
    }

    @Test
    void aReplicaLosingItsMasterIsReportedDegradedByDefaultOrDownWhenConfigured() throws Exception {
        // with its master: UP, role and link reported
        for (Map.Entry<String, HealthCheck> e : checks(Status.DEGRADED).entrySet()) {
            CheckResult r = e.getValue().check();
            assertThat(r.status()).as(e.getKey()).isEqualTo(Status.UP);
            assertThat(r.data())
                    .as(e.getKey())
                    .containsEntry("role", "replica")
                    .containsEntry("masterLinkStatus", "up")
                    .containsEntry("masterHost", "127.0.0.1")
                    .containsEntry("masterPort", (long) master.port());
            assertThat(r.message())
                    .as(e.getKey())
                    .contains(" replica of 127.0.0.1:" + master.port() + " answered PING");
        }

        master.stop();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> checks(Status.DEGRADED).get("probe").check().status() == Status.DEGRADED);

        for (Map.Entry<String, HealthCheck> e : checks(Status.DEGRADED).entrySet()) {
            CheckResult r = e.getValue().check();
            assertThat(r.status()).as(e.getKey()).isEqualTo(Status.DEGRADED);
            assertThat(r.data())
                    .as(e.getKey())
                    .containsEntry("role", "replica")
                    .containsEntry("masterLinkStatus", "down")
                    .containsKey("masterLinkDownSeconds");
            assertThat(r.message())
                    .as(e.getKey())
                    .contains("but its link to master 127.0.0.1:" + master.port() + " is down");
        }
        for (Map.Entry<String, HealthCheck> e : checks(Status.DOWN).entrySet()) {
            assertThat(e.getValue().check().status()).as(e.getKey()).isEqualTo(Status.DOWN);
        }
        for (Map.Entry<String, HealthCheck> e : checks(Status.UP).entrySet()) {
            assertThat(e.getValue().check().status()).as(e.getKey()).isEqualTo(Status.UP);
        }
    }
}
