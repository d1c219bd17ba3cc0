/** Redis checks: a dependency-free RESP probe, and PING through Lettuce or Jedis (both optional). */
// "requires-automatic": Lettuce and Jedis ship no module descriptor, only an
// Automatic-Module-Name, which is stable
@SuppressWarnings({"requires-automatic"})
module io.vigil.health.redis {
    requires transitive io.vigil.health;
    requires static lettuce.core;
    requires static redis.clients.jedis;

    exports io.vigil.health.redis;
}
