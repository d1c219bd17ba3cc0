package io.vigil.health.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.BlackHoleProxy;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Faults made for real between the application's S3 client and a real S3-compatible server: the server stopped, the
 * network black-holed or stalled (BlackHoleProxy). The check's own diagnosis arrives within the registration's
 * timeout, and a hundred timed-out probes leave no connection and no thread behind.
 */
class S3CheckUnderFaultsTest {
    private final HealthRegistry health =
            HealthRegistry.builder().startedImmediately().build();
    private S3Store store;
    private BlackHoleProxy proxy;
    private S3AsyncClient asyncClient;
    private S3Client blockingClient;

    /** The two clients an application may hand the check, both through the proxy. */
    enum Client {
        ASYNC,
        BLOCKING
    }

    @BeforeEach
    void start() throws Exception {
        store = new S3Store();
        try (S3Client admin = S3Store.blocking(store.port(), S3Store.ACCESS_KEY, S3Store.SECRET_KEY)) {
            admin.createBucket(b -> b.bucket("backups"));
            admin.putObject(b -> b.bucket("backups").key("db/latest.dump"), RequestBody.fromString("dump"));
        }
        proxy = new BlackHoleProxy("127.0.0.1", store.port());
        asyncClient = S3Store.async(proxy.port(), S3Store.ACCESS_KEY, S3Store.SECRET_KEY);
        blockingClient = S3Store.blocking(proxy.port(), S3Store.ACCESS_KEY, S3Store.SECRET_KEY);
    }

    @AfterEach
    void stop() throws Exception {
        health.close();
        asyncClient.close();
        blockingClient.close();
        proxy.close();
        store.close();
    }

    private HealthCheck check(Client client) {
        return (client == Client.ASYNC
                        ? S3Check.builder(asyncClient, "backups")
                        : S3Check.builder(blockingClient, "backups"))
                .object("db/latest.dump")
                .build();
    }

    /** The first request loads the SDK's classes and opens a connection, which a busy machine may need seconds for. */
    private static void warmUp(HealthCheck check) throws Exception {
        CheckResult r = check.check(CheckContext.within(Duration.ofSeconds(30)));
        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
    }

    private CheckEntry probe(HealthCheck check, Duration timeout) {
        health.register(
                "s3",
                check,
                CheckPolicy.builder().timeout(timeout).cacheTtl(Duration.ZERO).build());
        return health.evaluate(Probe.READINESS).checks().get(0);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aStoppedServerIsDownWithConnectionRefused(Client client) throws Exception {
        int port = store.port();
        try (S3AsyncClient direct = S3Store.async(port, S3Store.ACCESS_KEY, S3Store.SECRET_KEY);
                S3Client directBlocking = S3Store.blocking(port, S3Store.ACCESS_KEY, S3Store.SECRET_KEY)) {
            HealthCheck check = (client == Client.ASYNC
                            ? S3Check.builder(direct, "backups")
                            : S3Check.builder(directBlocking, "backups"))
                    .build();
            warmUp(check);
            store.stop();

            CheckEntry s3 = probe(check, Duration.ofSeconds(5));

            assertThat(s3.status()).isEqualTo(Status.DOWN);
            assertThat(s3.cause()).as(s3.message()).isEqualTo(Cause.REPORTED);
            assertThat(s3.message()).isEqualTo("HeadBucket backups: connection refused by http://127.0.0.1:" + port);
        }
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aBlackHoledStoreIsDownInTheChecksOwnWordsWithinTheRegistrationTimeout(Client client) throws Exception {
        HealthCheck check = check(client);
        warmUp(check);
        proxy.blackHole();
        proxy.stall(); // the pooled connection too: nothing reaches the store, nothing comes back
        // the SDK's timeout path loads its classes on first use, which on a busy machine can take longer than the
        // reserve for reporting (seen: the blocking client's first timeout reported by the engine as TIMEOUT)
        assertThat(check.check(CheckContext.within(Duration.ofSeconds(2))).message())
                .contains("timed out after");

        CheckEntry s3 = probe(check, Duration.ofMillis(800));

        assertThat(s3.status()).isEqualTo(Status.DOWN);
        assertThat(s3.cause()).as(s3.message()).isEqualTo(Cause.REPORTED);
        assertThat(s3.message()).matches("HeadBucket backups timed out after \\d+ ms");
        assertThat(s3.data()).containsEntry("operation", "HeadBucket");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aHundredTimedOutProbesLeaveNoConnectionAndNoThreadBehind(Client client) throws Exception {
        HealthCheck check = check(client);
        warmUp(check);
        health.register(
                "s3",
                check,
                CheckPolicy.builder()
                        .timeout(Duration.ofMillis(150))
                        .cacheTtl(Duration.ZERO)
                        .build());
        proxy.blackHole();
        proxy.stall();
        health.evaluate(Probe.READINESS); // the engine's threads for a DOWN evaluation exist from here on
        long fdBaseline = openFileDescriptors();
        long threadBaseline = ownThreads();

        for (int i = 0; i < 100; i++) {
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.DOWN);
        }
        assertThat(proxy.acceptedConnections()).as("connections opened").isLessThanOrEqualTo(102);

        proxy.forward();
        await("the store answers again")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> health.evaluate(Probe.READINESS).outcome() == Outcome.UP);
        // timed-out requests' connections are closed, not returned to the client's pool; what may remain is the
        // pool's one fresh connection (its socket, and the proxy's two and the store's one on this JVM) and the
        // client's own I/O threads started on first use
        await("every timed-out connection closed")
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> {
                    assertThat(openFileDescriptors())
                            .as("open file descriptors")
                            .isLessThanOrEqualTo(fdBaseline + 4);
                    assertThat(ownThreads())
                            .as(() -> "live threads " + threadNames())
                            .isLessThanOrEqualTo(threadBaseline + 2);
                });
    }

    /**
     * Live threads that could be the check's or its client's: not the engine's (a bounded pool, tested in
     * health-core), not the proxy's (its pool keeps idle threads for a minute), not S3Proxy's Jetty, not Awaitility's.
     */
    private static long ownThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(n -> !n.startsWith("vigil-health-")
                        && !n.equals("black-hole-proxy")
                        && !n.startsWith("qtp")
                        && !n.startsWith("awaitility"))
                .count();
    }

    private static String threadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .sorted()
                .toList()
                .toString();
    }

    private static long openFileDescriptors() {
        return ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }
}
