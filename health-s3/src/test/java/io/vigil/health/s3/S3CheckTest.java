package io.vigil.health.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 check over both SDK clients against a real S3-compatible server. */
class S3CheckTest {
    private static final Duration BUDGET = Duration.ofSeconds(10);
    private static S3Store store;
    private static S3Client admin;
    private static S3AsyncClient asyncClient;
    private static S3Client blockingClient;

    /** The two clients an application may hand the check. */
    enum Client {
        ASYNC(bucket -> S3Check.builder(asyncClient, bucket)),
        BLOCKING(bucket -> S3Check.builder(blockingClient, bucket));

        final Function<String, S3Check.Builder> builder;

        Client(Function<String, S3Check.Builder> builder) {
            this.builder = builder;
        }
    }

    @BeforeAll
    static void start() throws Exception {
        store = new S3Store();
        admin = S3Store.blocking(store.port(), S3Store.ACCESS_KEY, S3Store.SECRET_KEY);
        asyncClient = S3Store.async(store.port(), S3Store.ACCESS_KEY, S3Store.SECRET_KEY);
        blockingClient = S3Store.blocking(store.port(), S3Store.ACCESS_KEY, S3Store.SECRET_KEY);
        admin.createBucket(b -> b.bucket("backups"));
        admin.putObject(b -> b.bucket("backups").key("db/latest.dump"), RequestBody.fromString("dump"));
    }

    @AfterAll
    static void stop() throws Exception {
        admin.close();
        asyncClient.close();
        blockingClient.close();
        store.close();
    }

    private static CheckResult run(HealthCheck check) throws Exception {
        return check.check(CheckContext.within(BUDGET));
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void anExistingBucketIsUpWithEitherProbe(Client client) throws Exception {
        CheckResult head = run(client.builder.apply("backups").build());
        CheckResult list = run(
                client.builder.apply("backups").probe(BucketProbe.LIST_OBJECTS).build());

        assertThat(head.status()).as(head.message()).isEqualTo(Status.UP);
        assertThat(head.message()).isEqualTo("bucket backups reachable (HeadBucket)");
        assertThat(head.data())
                .containsEntry("bucket", "backups")
                .containsEntry("region", "us-east-1")
                .containsEntry("endpoint", "http://127.0.0.1:" + store.port());
        assertThat(list.status()).as(list.message()).isEqualTo(Status.UP);
        assertThat(list.message()).isEqualTo("bucket backups reachable (ListObjectsV2)");
    }

    @Test
    void theAsyncClientMakesAnAsyncCheckAndTheBlockingOneABlockingCheck() {
        assertThat(S3Check.builder(asyncClient, "backups").build()).isInstanceOf(AsyncHealthCheck.class);
        assertThat(S3Check.builder(blockingClient, "backups").build()).isNotInstanceOf(AsyncHealthCheck.class);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aMissingBucketIsDownNamedNoSuchBucket(Client client) throws Exception {
        CheckResult head = run(client.builder.apply("no-such-bucket").build());
        CheckResult list = run(client.builder
                .apply("no-such-bucket")
                .probe(BucketProbe.LIST_OBJECTS)
                .build());

        assertThat(head.status()).isEqualTo(Status.DOWN);
        assertThat(head.message()).isEqualTo("HeadBucket no-such-bucket: NoSuchBucket (HTTP 404)");
        assertThat(head.data()).containsEntry("errorCode", "NoSuchBucket").containsEntry("httpStatus", 404);
        assertThat(list.message()).isEqualTo("ListObjectsV2 no-such-bucket: NoSuchBucket (HTTP 404)");
    }

    @Test
    void aBucketDeletedAfterRegistrationTurnsDown() throws Exception {
        admin.createBucket(b -> b.bucket("uploads"));
        HealthCheck check = S3Check.builder(asyncClient, "uploads").build();
        assertThat(run(check).status()).isEqualTo(Status.UP);

        admin.deleteBucket(b -> b.bucket("uploads"));

        assertThat(run(check).message()).isEqualTo("HeadBucket uploads: NoSuchBucket (HTTP 404)");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aWrongSecretIsDownNamedByTheErrorCodeWithoutAnySecret(Client client) throws Exception {
        String wrongSecret = "wrong/Secret+Key0123456789abcdefghijklmn";
        try (S3Client badBlocking = S3Store.blocking(store.port(), S3Store.ACCESS_KEY, wrongSecret);
                S3AsyncClient badAsync = S3Store.async(store.port(), S3Store.ACCESS_KEY, wrongSecret)) {
            S3Check.Builder b = client == Client.ASYNC
                    ? S3Check.builder(badAsync, "backups")
                    : S3Check.builder(badBlocking, "backups");
            CheckResult list = run(b.probe(BucketProbe.LIST_OBJECTS).build());
            CheckResult head = run(b.probe(BucketProbe.HEAD_BUCKET).build());

            assertThat(list.status()).isEqualTo(Status.DOWN);
            assertThat(list.message()).isEqualTo("ListObjectsV2 backups: SignatureDoesNotMatch (HTTP 403)");
            assertThat(head.message()).isEqualTo("HeadBucket backups: AccessDenied (HTTP 403)");
            assertThat(list.message() + list.data() + head.message() + head.data())
                    .doesNotContain(wrongSecret)
                    .doesNotContain(S3Store.ACCESS_KEY)
                    .doesNotContain(S3Store.SECRET_KEY);
        }
    }

    @Test
    void anUnknownAccessKeyIsDownNamedInvalidAccessKeyId() throws Exception {
        try (S3AsyncClient stranger = S3Store.async(store.port(), "AKIAUNKNOWNKEY000001", S3Store.SECRET_KEY)) {
            CheckResult r = run(S3Check.builder(stranger, "backups")
                    .probe(BucketProbe.LIST_OBJECTS)
                    .build());

            assertThat(r.message()).isEqualTo("ListObjectsV2 backups: InvalidAccessKeyId (HTTP 403)");
            assertThat(r.message() + r.data()).doesNotContain("AKIAUNKNOWNKEY000001");
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aThrottlingStoreIsDegradedNotDown(Client client) throws Exception {
        store.throttle(true);
        try {
            CheckResult r = run(client.builder
                    .apply("backups")
                    .probe(BucketProbe.LIST_OBJECTS)
                    .build());

            assertThat(r.status()).as(r.message()).isEqualTo(Status.DEGRADED);
            assertThat(r.message()).isEqualTo("ListObjectsV2 backups: SlowDown (HTTP 503), the store is throttling");
        } finally {
            store.throttle(false);
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aRecentObjectIsUpWithItsAgeAndSize(Client client) throws Exception {
        CheckResult r = run(client.builder
                .apply("backups")
                .object("db/latest.dump")
                .maxAge(Duration.ofHours(26), Status.DEGRADED)
                .build());

        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.message()).startsWith("object db/latest.dump in backups present, ");
        assertThat(r.data())
                .containsEntry("key", "db/latest.dump")
                .containsEntry("size", 4L)
                .containsKey("lastModified");
        assertThat((long) r.data().get("ageSeconds")).isBetween(0L, 600L);
    }

    @ParameterizedTest
    @EnumSource(
            value = Status.class,
            names = {"DEGRADED", "DOWN"})
    void anObjectOlderThanItsMaximumAgeHasTheConfiguredStatus(Status tooOld) throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        HealthCheck check = S3Check.builder(asyncClient, "backups")
                .object("db/latest.dump")
                .maxAge(Duration.ofHours(26), tooOld)
                .clock(clock)
                .build();
        assertThat(run(check).status()).isEqualTo(Status.UP);

        clock.step(Duration.ofHours(27)); // last night's backup did not run

        CheckResult r = run(check);
        assertThat(r.status()).isEqualTo(tooOld);
        assertThat(r.message()).startsWith("object db/latest.dump in backups is 1 d 3 h old, older than 1 d 2 h");
        assertThat((long) r.data().get("ageSeconds")).isGreaterThanOrEqualTo(27 * 3600L);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aMissingObjectIsDownNamedNoSuchKey(Client client) throws Exception {
        CheckResult r = run(
                client.builder.apply("backups").object("db/never-written.dump").build());

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("HeadObject backups/db/never-written.dump: NoSuchKey (HTTP 404)");
        assertThat(r.data()).containsEntry("operation", "HeadObject");
    }

    @Test
    void aMaximumAgeNeedsAnObjectAndAnUnhealthyStatus() {
        assertThatThrownBy(() -> S3Check.builder(asyncClient, "backups")
                        .maxAge(Duration.ofHours(1), Status.DOWN)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("object");
        assertThatThrownBy(() -> S3Check.builder(asyncClient, "backups").maxAge(Duration.ofHours(1), Status.UP))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
