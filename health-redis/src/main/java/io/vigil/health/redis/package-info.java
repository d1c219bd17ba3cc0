/**
 * Redis checks: {@link io.vigil.health.redis.RedisProbeCheck} speaks RESP over a plain or TLS socket and needs
 * no client library; {@link io.vigil.health.redis.LettuceRedisCheck} and {@link io.vigil.health.redis.JedisRedisCheck}
 * ask through the client the service already uses (each an optional dependency: only the class of the client
 * present may be loaded). All report round-trip time, server version and role, and never show a password.
 */
@NullMarked
package io.vigil.health.redis;

import org.jspecify.annotations.NullMarked;
