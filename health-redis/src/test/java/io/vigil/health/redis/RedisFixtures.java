package io.vigil.health.redis;

import static org.awaitility.Awaitility.await;

import io.vigil.health.test.EmbeddedRedis;
import java.time.Duration;
import java.util.stream.IntStream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** Set-ups of real servers shared by the Redis tests. */
final class RedisFixtures {
    private RedisFixtures() {}

    /** Starts a one-node Redis Cluster owning all 16384 slots, and waits until its state is ok. */
    static EmbeddedRedis singleNodeCluster() {
        EmbeddedRedis node = EmbeddedRedis.builder()
                .config("cluster-enabled", "yes")
                .config("cluster-config-file", "nodes.conf")
                .start();
        try (Jedis admin = new Jedis(node.host(), node.port())) {
            String[] slots =
                    IntStream.range(0, 16384).mapToObj(Integer::toString).toArray(String[]::new);
            String[] args = new String[slots.length + 1];
            args[0] = "ADDSLOTS";
            System.arraycopy(slots, 0, args, 1, slots.length);
            admin.sendCommand(Protocol.Command.CLUSTER, args);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> admin.clusterInfo().contains("cluster_state:ok"));
        }
        return node;
    }

    /** Starts a replica of {@code master} and waits until its link is up. */
    static EmbeddedRedis replicaOf(EmbeddedRedis master) {
        EmbeddedRedis replica = EmbeddedRedis.builder().replicaOf(master.port()).start();
        try (Jedis admin = new Jedis(replica.host(), replica.port())) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> admin.info("replication").contains("master_link_status:up"));
        }
        return replica;
    }
}
