package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.jms.JmsCheck;
import io.vigil.health.kafka.KafkaCheck;
import io.vigil.health.rabbitmq.RabbitMqCheck;
import io.vigil.health.test.Ports;
import java.util.List;
import java.util.Map;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The broker checks are registered from the application's beans, replace the bridged Actuator indicator of the same
 * broker, and each can be turned off. The brokers are addresses where nothing listens: what is asserted is which
 * check answers (its own wording), not the broker.
 */
class BrokerChecksAutoConfigurationTest {
    private static final int NOBODY = Ports.free();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(VigilHealthAutoConfiguration.class, VigilBrokerChecksAutoConfiguration.class))
            .withUserConfiguration(Brokers.class);

    @Configuration(proxyBeanMethods = false)
    static class Brokers {
        @Bean
        KafkaAdmin kafkaAdmin() {
            return new KafkaAdmin(Map.of(
                    "bootstrap.servers",
                    "127.0.0.1:" + NOBODY,
                    "client.id",
                    "app",
                    "key.serializer",
                    "not an admin setting"));
        }

        @Bean
        CachingConnectionFactory rabbitConnectionFactory() {
            CachingConnectionFactory f = new CachingConnectionFactory("127.0.0.1", NOBODY);
            f.setUsername("app");
            f.setPassword("s3cret-in-spring");
            return f;
        }

        /**
         * Stands for Actuator's RabbitMQ indicator, bridged as {@code rabbit} (spring-boot-amqp itself is left off
         * this module's test class path: its auto-configuration would add a RabbitMQ connection to every test app).
         */
        @Bean
        HealthIndicator rabbitHealthContributor() {
            return () -> Health.up()
                    .withDetail("version", "from Actuator's indicator")
                    .build();
        }

        @Bean
        ActiveMQConnectionFactory jmsConnectionFactory() {
            return new ActiveMQConnectionFactory(
                    "tcp://127.0.0.1:" + NOBODY + "?reconnectAttempts=0" + "&initialConnectAttempts=1");
        }
    }

    private static CheckEntry entry(HealthRegistry registry, String name) {
        List<CheckEntry> all = registry.evaluate(Probe.READINESS).checks();
        return all.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void kafkaRabbitAndJmsBeansGetVigilsReadinessChecksAndTheBridgedRabbitIndicatorIsReplaced() {
        runner.run(context -> {
            assertThat(context)
                    .hasSingleBean(KafkaCheck.class)
                    .hasSingleBean(RabbitMqCheck.class)
                    .hasSingleBean(JmsCheck.class);
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.checkNames()).contains("kafka", "rabbit", "jms");

            CheckEntry rabbit = entry(registry, "rabbit");
            assertThat(rabbit.kind()).isEqualTo(CheckKind.DEPENDENCY);
            // Vigil's own check answers under the indicator's name, not the bridged Actuator indicator
            assertThat(rabbit.message())
                    .startsWith("cannot connect to RabbitMQ: ")
                    .doesNotContain("s3cret");
            // JmsCheck's wording either way (the client's first connect may outlast the default 1 s registration)
            assertThat(entry(registry, "jms").message())
                    .matches(
                            "cannot connect to the JMS broker: .+|no answer from the JMS broker to createConnection .+");
            assertThat(entry(registry, "kafka").kind()).isEqualTo(CheckKind.DEPENDENCY);
        });
    }

    @Test
    void onlyTheAdminsConnectionSettingsReachTheChecksClient() {
        assertThat(VigilBrokerChecksAutoConfiguration.Kafka.adminSettings(Map.of(
                        "bootstrap.servers",
                        "k:9092",
                        "security.protocol",
                        "SASL_SSL",
                        "client.id",
                        "app",
                        "key.serializer",
                        "x")))
                .containsOnlyKeys("bootstrap.servers", "security.protocol");
    }

    @Test
    void eachBrokerCheckCanBeTurnedOffAndThenTheIndicatorIsBridgedAgain() {
        runner.withPropertyValues(
                        "vigil.health.kafka.enabled=false",
                        "vigil.health.rabbitmq.enabled=false",
                        "vigil.health.jms.enabled=false")
                .run(context -> {
                    assertThat(context)
                            .doesNotHaveBean(KafkaCheck.class)
                            .doesNotHaveBean(RabbitMqCheck.class)
                            .doesNotHaveBean(JmsCheck.class);
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    assertThat(registry.checkNames())
                            .doesNotContain("kafka", "jms")
                            .contains("rabbit");
                    CheckEntry bridged = entry(registry, "rabbit");
                    assertThat(bridged.status())
                            .as("Actuator's indicator, bridged")
                            .isEqualTo(io.vigil.health.Status.UP);
                    assertThat(bridged.data()).containsEntry("version", "from Actuator's indicator");
                });
    }
}
