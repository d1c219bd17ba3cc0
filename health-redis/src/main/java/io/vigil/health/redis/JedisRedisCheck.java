package io.vigil.health.redis;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import java.net.SocketTimeoutException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.Pool;

/**
 * Checks Redis through the service's own Jedis client ({@link redis.clients.jedis.JedisPooled},
 * {@link JedisCluster} or any {@link UnifiedJedis}): {@code PING}, then {@code INFO server} and
 * {@code INFO replication}. For a {@link JedisCluster}, Jedis sends PING to every node; {@code mode} is
 * {@code cluster} and no {@code INFO} is read (it has no single node to go to).
 *
 * <p>Jedis calls block: each is bounded by the client's own socket timeout (Jedis default 2 s) and, for a pool,
 * by its {@code maxWait} when the pool is exhausted (configure one: the commons-pool default waits forever). The
 * registration's timeout still reports DOWN on time, and the engine never runs a check twice at once, so a stuck
 * call holds one thread and at most one pooled connection, never more.
 *
 * <p>For a {@link JedisPooled} the check reads the pool's counters first ({@code pool.active}, {@code pool.idle},
 * {@code pool.waiting}, {@code pool.max} in the data) and never competes with the application: when no connection
 * is free, or the application's waiting threads would take every free one, it reports DEGRADED with the pool's
 * state and sends nothing. Each command (PING, then two INFO) borrows one connection and gives it back; against a
 * stalled server the PING holds it until the socket timeout, and the check ends there.
 *
 * <p>Results and data as for {@link RedisProbeCheck} ({@code roundTripMs}, {@code version}, {@code mode},
 * {@code role}, replica fields). Error replies such as {@code NOAUTH}, {@code WRONGPASS}, {@code LOADING} are DOWN
 * with a message naming them. Thread-safe as the client is; the check never throws.
 *
 * <pre>{@code
 * JedisPooled jedis = new JedisPooled(poolConfig, "cache.internal", 6379, 500, password); // the service's client
 * health.register("redis", JedisRedisCheck.of(jedis));
 * }</pre>
 */
// "exports": Jedis is optional; whoever passes a Jedis client to a factory has Jedis, the rest never touch one
@SuppressWarnings("exports")
public final class JedisRedisCheck implements HealthCheck {
    private final UnifiedJedis jedis;
    private final Status replicaLinkDown;
    private final @Nullable Pool<?> pool;

    private JedisRedisCheck(Builder b) {
        this.jedis = b.jedis;
        this.replicaLinkDown = b.replicaLinkDown;
        this.pool = b.jedis instanceof JedisPooled pooled ? pooled.getPool() : null;
    }

    /**
     * @param jedis the service's client; not closed by the check
     * @return a check with the defaults
     */
    public static JedisRedisCheck of(UnifiedJedis jedis) {
        return builder(jedis).build();
    }

    /**
     * @param jedis the service's client; not closed by the check
     * @return a builder: replica link down DEGRADED
     */
    public static Builder builder(UnifiedJedis jedis) {
        return new Builder(Objects.requireNonNull(jedis, "jedis"));
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DATASTORE;
    }

    @Override
    public CheckResult check() {
        Map<String, Object> poolData = new LinkedHashMap<>();
        Pool<?> p = pool;
        if (p != null) {
            CheckResult busy = poolState(p, poolData);
            if (busy != null) {
                return busy;
            }
        }
        String step = "PING";
        try {
            long start = System.nanoTime();
            String pong = jedis.ping();
            long rtt = System.nanoTime() - start;
            if (!"PONG".equals(pong)) {
                return CheckResult.down("unexpected answer to PING: " + RedisResults.clean(pong, null));
            }
            step = "INFO";
            Map<String, String> info = new HashMap<>();
            if (jedis instanceof JedisCluster) {
                info.put("redis_mode", "cluster");
            } else {
                info.putAll(info("server"));
                info.putAll(info("replication"));
            }
            return RedisResults.answered(rtt, info, replicaLinkDown, poolData);
        } catch (RuntimeException e) {
            return down(step, e);
        }
    }

    /**
     * Reads the pool's counters into {@code data} and decides whether borrowing would compete with the
     * application: nothing free, or its waiting threads would take every free connection.
     *
     * @return a DEGRADED result instead of borrowing, or {@code null} to go on
     */
    private static @Nullable CheckResult poolState(Pool<?> pool, Map<String, Object> data) {
        int active = pool.getNumActive();
        int idle = pool.getNumIdle();
        int waiting = pool.getNumWaiters();
        int max = pool.getMaxTotal();
        data.put("pool.active", active);
        data.put("pool.idle", idle);
        data.put("pool.waiting", waiting);
        data.put("pool.max", max);
        if (max < 0) {
            return null; // unbounded: there is always room
        }
        int free = Math.max(0, max - active);
        String state = active + " of " + max + " connections in use, " + waiting
                + (waiting == 1 ? " thread" : " threads") + " waiting";
        if (free == 0) {
            return CheckResult.of(Status.DEGRADED, "Jedis pool exhausted (" + state + "); PING not sent")
                    .withData(data);
        }
        if (waiting > 0 && free <= waiting) {
            return CheckResult.of(
                            Status.DEGRADED,
                            "Jedis pool busy (" + state + "); PING not sent, not competing"
                                    + " with the application for the last free connection")
                    .withData(data);
        }
        return null;
    }

    private Map<String, String> info(String section) {
        try {
            return RedisResults.parseInfo(jedis.info(section));
        } catch (JedisDataException e) {
            if (RedisResults.isNoPermission(e.getMessage())) {
                return Map.of();
            }
            throw e;
        }
    }

    private static CheckResult down(String step, RuntimeException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JedisDataException) {
                return CheckResult.of(Status.DOWN, RedisResults.describeError(c.getMessage(), null));
            }
        }
        Throwable root = rootOf(e);
        String message;
        if (root instanceof SocketTimeoutException) {
            message = "no answer to " + step + " within the Jedis socket timeout";
        } else if (e instanceof JedisConnectionException || root instanceof java.net.ConnectException) {
            // Jedis tries each address of the host and keeps the socket errors as suppressed exceptions
            Throwable why = root.getSuppressed().length > 0 ? rootOf(root.getSuppressed()[0]) : null;
            message = "cannot reach Redis: " + RedisResults.clean(Secrets.describe(root), null)
                    + (why == null ? "" : " (" + RedisResults.clean(Secrets.describe(why), null) + ")");
        } else {
            message = step + " failed: " + RedisResults.clean(Secrets.describe(e), null)
                    + (root == e ? "" : " (" + RedisResults.clean(Secrets.describe(root), null) + ")");
        }
        return CheckResult.of(Status.DOWN, message).withError(e);
    }

    private static Throwable rootOf(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    @Override
    public String toString() {
        return "JedisRedisCheck[" + jedis.getClass().getSimpleName() + "]";
    }

    /** Configures a {@link JedisRedisCheck}. Not thread-safe. */
    public static final class Builder {
        private final UnifiedJedis jedis;
        private Status replicaLinkDown = Status.DEGRADED;

        Builder(UnifiedJedis jedis) {
            this.jedis = jedis;
        }

        /**
         * @param value status of a replica whose master link is down: DEGRADED (default), DOWN, or UP to ignore
         * @return this builder
         */
        public Builder replicaLinkDown(Status value) {
            replicaLinkDown = Objects.requireNonNull(value, "replicaLinkDown");
            return this;
        }

        /** @return the check */
        public JedisRedisCheck build() {
            return new JedisRedisCheck(this);
        }
    }
}
