package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void urlUserInfoQueryStringsAndKeyValuesAreRedacted() {
        assertThat(Secrets.redact("jdbc:postgresql://app:hunter2@db:5432/app?password=hunter2&ssl=true"))
                .isEqualTo("jdbc:postgresql://***@db:5432/app?***");
        assertThat(Secrets.redact("rediss://:s3cret@cache:6380/0")).isEqualTo("rediss://***@cache:6380/0");
        assertThat(Secrets.redact("login failed: password=hunter2; user=app")).doesNotContain("hunter2");
        assertThat(Secrets.redact("Authorization: Bearer abc.def.ghi")).doesNotContain("abc.def");
        assertThat(Secrets.redact("sent bearer eyJhbGciOi.x.y to upstream")).isEqualTo("sent bearer *** to upstream");
        assertThat(Secrets.redact("connection refused")).isEqualTo("connection refused");
    }

    @Test
    void safeUrlDropsUserInfoQueryAndFragment() {
        assertThat(Secrets.safeUrl("https://u:p@api.example.com/health?token=t#x"))
                .isEqualTo("https://api.example.com/health");
    }

    @Test
    void describeNamesTheTypeAndFollowsEmptyMessagesToTheCause() {
        Exception e = new RuntimeException(null, new java.net.ConnectException("Connection refused"));
        assertThat(Secrets.describe(e)).isEqualTo("ConnectException: Connection refused");
    }

    @Test
    void hugeInputIsCutBeforeTheRegexesRun() {
        assertThat(Secrets.redact("http://" + "a".repeat(1_000_000))).hasSize(Secrets.MAX_LENGTH);
    }

    @Test
    void aRedactedCopyKeepsTypesAndFramesButNotSecrets() {
        Exception original = new IllegalStateException("login to postgres://app:hunter2@db failed",
                new java.sql.SQLException("password=hunter2 rejected"));
        Throwable copy = Secrets.redacted(original);
        java.io.StringWriter trace = new java.io.StringWriter();
        copy.printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain("hunter2").contains("java.lang.IllegalStateException")
                .contains("java.sql.SQLException").contains("SecretsTest");
        assertThat(copy.getStackTrace()).isEqualTo(original.getStackTrace());
    }
}
