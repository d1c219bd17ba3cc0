package io.vigil.health.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Kafka check against a real KRaft broker (one per class, its own JVM): what it reports when all is well. */
class KafkaCheckTest {
    @TempDir
    static Path dir;

    private static KafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start(dir);
        admin = Admin.create(Map.of("bootstrap.servers", broker.plainBootstrap()));
    }

    @AfterAll
    static void stopBroker() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static CheckResult run(KafkaCheck check) {
        return check.checkAsync(CheckContext.within(Duration.ofSeconds(10)))
                .toCompletableFuture()
                .join();
    }

    @Test
    void aReachableClusterIsUpWithItsIdBrokersAndController() {
        CheckResult r = run(KafkaCheck.of(admin));

        assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        assertThat(r.data()).containsEntry("brokers", 1).containsEntry("controller", 1);
        assertThat((String) r.data().get("clusterId")).isNotBlank().isNotEqualTo("null");
        assertThat(r.message()).doesNotContain("127.0.0.1");
    }

    @Test
    void fewerBrokersThanTheReplicationFactorNeedsIsDegraded() {
        CheckResult r = run(KafkaCheck.builder(admin).minBrokers(3).build());

        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message()).isEqualTo("1 broker(s), fewer than the 3 required");
    }

    @Test
    void aRequiredTopicIsUpWhileItExistsAndDownNamingItOnceDeleted() throws Exception {
        admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        KafkaCheck check =
                KafkaCheck.builder(admin).requireTopics("orders", "invoices").build();
        assertThat(run(check).message()).isEqualTo("topic invoices does not exist");

        KafkaCheck orders = KafkaCheck.builder(admin).requireTopics("orders").build();
        assertThat(run(orders).status()).isEqualTo(Status.UP);

        admin.deleteTopics(List.of("orders")).all().get(30, TimeUnit.SECONDS);
        await("the deletion is seen")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> run(orders).status() == Status.DOWN);
        assertThat(run(orders).message()).isEqualTo("topic orders does not exist");
    }

    @Test
    void consumerLagBuiltForRealCrossesTheThresholds() throws Exception {
        admin.createTopics(List.of(new NewTopic("payments", 2, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", broker.plainBootstrap(), "acks", "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 120; i++) {
                producer.send(new ProducerRecord<>("payments", i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
        TopicPartition p0 = new TopicPartition("payments", 0);
        TopicPartition p1 = new TopicPartition("payments", 1);
        // the group committed where it started and consumed nothing: 60 + 60 records behind
        admin.alterConsumerGroupOffsets("billing", Map.of(p0, new OffsetAndMetadata(0), p1, new OffsetAndMetadata(0)))
                .all()
                .get(30, TimeUnit.SECONDS);

        CheckResult down =
                run(KafkaCheck.builder(admin).consumerLag("billing", 10, 100).build());
        assertThat(down.status()).isEqualTo(Status.DOWN);
        assertThat(down.message()).isEqualTo("consumer group billing lags 120 records (more than 100)");
        assertThat(down.data()).containsEntry("lag.billing", 120L);

        CheckResult warn =
                run(KafkaCheck.builder(admin).consumerLag("billing", 10, 1000).build());
        assertThat(warn.status()).isEqualTo(Status.DEGRADED);
        assertThat(warn.message()).isEqualTo("consumer group billing lags 120 records (more than 10)");

        // the group catches up on one partition, almost on the other
        admin.alterConsumerGroupOffsets("billing", Map.of(p0, new OffsetAndMetadata(60), p1, new OffsetAndMetadata(55)))
                .all()
                .get(30, TimeUnit.SECONDS);
        CheckResult up =
                run(KafkaCheck.builder(admin).consumerLag("billing", 10, 100).build());
        assertThat(up.status()).as(up.message()).isEqualTo(Status.UP);
        assertThat(up.data()).containsEntry("lag.billing", 5L);
    }

    @Test
    void aWatchedGroupThatCommittedNothingIsDegraded() {
        CheckResult r = run(
                KafkaCheck.builder(admin).consumerLag("never-started", 10, 100).build());

        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message()).isEqualTo("consumer group never-started has no committed offsets");
    }

    @Test
    void wrongCredentialsAreDownNamingTheAuthenticationFailureAndNeverTheSecret() {
        String wrong = "wrong-" + KafkaBroker.PASSWORD;
        try (KafkaCheck check = KafkaCheck.builder(sasl(wrong)).build();
                KafkaCheck right =
                        KafkaCheck.builder(sasl(KafkaBroker.PASSWORD)).build()) {
            CheckResult r = run(check);

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("Kafka rejected the client's authentication: SaslAuthenticationException")
                    .doesNotContain(wrong)
                    .doesNotContain(KafkaBroker.PASSWORD);
            assertThat(String.valueOf(r.error())).doesNotContain(KafkaBroker.PASSWORD);
            assertThat(run(right).status()).isEqualTo(Status.UP);
        }
    }

    private static Map<String, Object> sasl(String password) {
        return Map.of(
                "bootstrap.servers",
                broker.saslBootstrap(),
                "security.protocol",
                "SASL_PLAINTEXT",
                "sasl.mechanism",
                "PLAIN",
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule" + " required username=\"" + KafkaBroker.USER
                        + "\" password=\"" + password + "\";");
    }
}
