package io.vigil.health.spring;

import io.vigil.health.jms.JmsCheck;
import io.vigil.health.kafka.KafkaCheck;
import io.vigil.health.rabbitmq.RabbitMqCheck;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Vigil's broker checks for the application's broker beans, each a readiness check of kind {@code DEPENDENCY}:
 * <ul>
 *   <li>a Spring Kafka {@code KafkaAdmin} (or, without one, a {@code ProducerFactory}): {@link KafkaCheck} named
 *       {@code kafka}, with one {@code Admin} client of its own built from the bean's connection settings — Spring
 *       Boot has no Kafka indicator, this fills the gap. Off with {@code vigil.health.kafka.enabled=false}.</li>
 *   <li>a Spring AMQP {@code ConnectionFactory}: {@link RabbitMqCheck} named {@code rabbit}, with one connection of
 *       its own from a copy of the underlying RabbitMQ factory; it replaces the bridged Actuator indicator of the same
 *       name. Off with {@code vigil.health.rabbitmq.enabled=false}.</li>
 *   <li>a Jakarta Messaging {@code ConnectionFactory}: {@link JmsCheck} named {@code jms}, replacing the bridged
 *       Actuator indicator. Off with {@code vigil.health.jms.enabled=false}.</li>
 * </ul>
 * Settings per check as for any check ({@code vigil.health.checks.kafka.timeout} ...). The checks are closed with
 * the context.
 */
@AutoConfiguration(
        after = VigilHealthAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration",
            "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration",
            "org.springframework.boot.jms.autoconfigure.JmsAutoConfiguration",
            "org.springframework.boot.artemis.autoconfigure.ArtemisAutoConfiguration"
        })
@ConditionalOnProperty(
        prefix = VigilHealthProperties.PREFIX,
        name = "enabled",
        havingValue = "true",
        matchIfMissing = true)
public class VigilBrokerChecksAutoConfiguration {
    /** Created by Spring. */
    public VigilBrokerChecksAutoConfiguration() {}

    /** Kafka: over the KafkaAdmin's (or the producer factory's) connection settings. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({KafkaCheck.class, AdminClientConfig.class, org.springframework.kafka.core.KafkaAdmin.class})
    @ConditionalOnProperty(
            prefix = VigilHealthProperties.PREFIX + ".kafka",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    static class Kafka {
        @Bean(name = "kafka", destroyMethod = "close")
        @org.springframework.context.annotation.Conditional(KafkaBeans.class)
        @ConditionalOnMissingBean(name = "kafka")
        KafkaCheck vigilKafkaCheck(
                ObjectProvider<org.springframework.kafka.core.KafkaAdmin> admin,
                ObjectProvider<org.springframework.kafka.core.ProducerFactory<?, ?>> producers) {
            org.springframework.kafka.core.KafkaAdmin a = admin.getIfUnique();
            Map<String, Object> source = a != null
                    ? a.getConfigurationProperties()
                    : producers.orderedStream().findFirst().orElseThrow().getConfigurationProperties();
            return KafkaCheck.builder(adminSettings(source)).build();
        }

        /** A {@code KafkaAdmin} or a {@code ProducerFactory} bean, either. */
        static final class KafkaBeans extends org.springframework.boot.autoconfigure.condition.AnyNestedCondition {
            KafkaBeans() {
                super(ConfigurationPhase.REGISTER_BEAN);
            }

            @ConditionalOnBean(org.springframework.kafka.core.KafkaAdmin.class)
            static final class Admin {}

            @ConditionalOnBean(org.springframework.kafka.core.ProducerFactory.class)
            static final class Producer {}
        }

        /** The connection settings an {@code Admin} understands (bootstrap servers, security), nothing else. */
        static Map<String, Object> adminSettings(Map<String, Object> source) {
            Map<String, Object> admin = new HashMap<>();
            source.forEach((k, v) -> {
                if (AdminClientConfig.configNames().contains(k) && !k.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                    admin.put(k, v);
                }
            });
            return admin;
        }
    }

    /** RabbitMQ: one own connection from a copy of the application's RabbitMQ factory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({
        RabbitMqCheck.class,
        com.rabbitmq.client.ConnectionFactory.class,
        org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.class
    })
    @ConditionalOnProperty(
            prefix = VigilHealthProperties.PREFIX + ".rabbitmq",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    static class Rabbit {
        @Bean(name = "rabbit", destroyMethod = "close")
        @ConditionalOnBean(org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.class)
        @ConditionalOnMissingBean(name = "rabbit")
        RabbitMqCheck vigilRabbitCheck(org.springframework.amqp.rabbit.connection.AbstractConnectionFactory factory) {
            return RabbitMqCheck.builder(factory.getRabbitConnectionFactory()).build();
        }

        @Bean
        @ConditionalOnBean(org.springframework.amqp.rabbit.connection.AbstractConnectionFactory.class)
        IndicatorBridge.Replaced vigilRabbitReplacesIndicator() {
            return new IndicatorBridge.Replaced("rabbit");
        }
    }

    /** JMS: one kept connection from the application's factory. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({JmsCheck.class, jakarta.jms.ConnectionFactory.class})
    @ConditionalOnProperty(
            prefix = VigilHealthProperties.PREFIX + ".jms",
            name = "enabled",
            havingValue = "true",
            matchIfMissing = true)
    static class Jms {
        @Bean(name = "jms", destroyMethod = "close")
        @ConditionalOnBean(jakarta.jms.ConnectionFactory.class)
        @ConditionalOnMissingBean(name = "jms")
        JmsCheck vigilJmsCheck(ObjectProvider<jakarta.jms.ConnectionFactory> factory) {
            return JmsCheck.of(factory.orderedStream().findFirst().orElseThrow());
        }

        @Bean
        @ConditionalOnBean(jakarta.jms.ConnectionFactory.class)
        IndicatorBridge.Replaced vigilJmsReplacesIndicator() {
            return new IndicatorBridge.Replaced("jms");
        }
    }
}
