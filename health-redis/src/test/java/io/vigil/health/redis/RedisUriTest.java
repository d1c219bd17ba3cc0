package io.vigil.health.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading {@code redis://} and {@code rediss://} URIs without ever repeating their secrets. */
class RedisUriTest {

    @Test
    void aBareHostGetsTheDefaultPortDatabaseZeroAndNoCredentials() {
        RedisUri u = RedisUri.parse("redis://cache.internal");
        assertThat(u.tls).isFalse();
        assertThat(u.host).isEqualTo("cache.internal");
        assertThat(u.port).isEqualTo(6379);
        assertThat(u.database).isZero();
        assertThat(u.username).isNull();
        assertThat(u.password).isNull();
        assertThat(u).hasToString("redis://cache.internal:6379/0");
    }

    @Test
    void userPasswordPortAndDatabaseAreRead() {
        RedisUri u = RedisUri.parse("rediss://app:s3cr%40t@10.0.0.5:6380/4");
        assertThat(u.tls).isTrue();
        assertThat(u.username).isEqualTo("app");
        assertThat(u.password).isEqualTo("s3cr@t");
        assertThat(u.address()).isEqualTo("10.0.0.5:6380");
        assertThat(u.database).isEqualTo(4);
        assertThat(u.toString()).isEqualTo("rediss://10.0.0.5:6380/4").doesNotContain("s3cr");
    }

    @Test
    void aColonFirstOrNoColonMeansPasswordOnly() {
        assertThat(RedisUri.parse("redis://:pw@h").username).isNull();
        assertThat(RedisUri.parse("redis://:pw@h").password).isEqualTo("pw");
        assertThat(RedisUri.parse("redis://pw@h").username).isNull();
        assertThat(RedisUri.parse("redis://pw@h").password).isEqualTo("pw");
    }

    @Test
    void anUnencodedAtSignOrSlashInThePasswordStaysInThePassword() {
        RedisUri u = RedisUri.parse("redis://:p@ss/w#rd@host:7000/2");
        assertThat(u.password).isEqualTo("p@ss/w#rd");
        assertThat(u.address()).isEqualTo("host:7000");
        assertThat(u.database).isEqualTo(2);
    }

    @Test
    void ipv6LiteralsAreBracketedInTheAddress() {
        RedisUri u = RedisUri.parse("redis://[::1]:6390");
        assertThat(u.host).isEqualTo("::1");
        assertThat(u.address()).isEqualTo("[::1]:6390");
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertThat(RedisUri.parse("REDISS://h").tls).isTrue();
    }

    @Test
    void malformedUrisAreRejectedWithoutRepeatingTheSecret() {
        for (String bad : List.of(
                "http://:hunter2@h",
                "redis://:hunter2@",
                "redis://:hunter2@h:0",
                "redis://:hunter2@h:99999",
                "redis://:hunter2@h:port",
                "redis://:hunter2@h/db",
                "redis://:hunter2@h?timeout=1s",
                "redis://:hunter2%zz@h",
                "redis://:hunter2@[::1",
                "redis://:hunter2@h x")) {
            assertThatThrownBy(() -> RedisUri.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .message()
                    .doesNotContain("hunter2")
                    .startsWith("Redis URI");
        }
    }

    @Test
    void theProbesToStringNeverShowsCredentials() {
        RedisProbeCheck check = RedisProbeCheck.of("redis://admin:hunter2@h:6379/1");
        assertThat(check.toString()).isEqualTo("RedisProbeCheck[redis://h:6379/1]");
    }
}
