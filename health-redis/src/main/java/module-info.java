/** Redis checks: a dependency-free RESP probe, and PING through Lettuce or Jedis (both optional). */
// Lettuce and Jedis are automatic modules with stable Automatic-Module-Names (lettuce.core, redis.clients.jedis)
@SuppressWarnings("requires-automatic")
module io.vigil.health.redis {
    requires transitive io.vigil.health;
    requires static lettuce.core;
    requires static redis.clients.jedis;
    requires static transitive org.jspecify; // @Nullable in the exported API

    exports io.vigil.health.redis;
}
