/**
 * RabbitMQ check: {@link io.vigil.health.rabbitmq.RabbitMqCheck} watches one AMQP connection (the application's or
 * one of its own): open, not blocked by a broker resource alarm, configured queues present, not too deep and
 * consumed. {@code amqp-client} is a {@code provided} dependency: the application brings its own.
 */
@NullMarked
package io.vigil.health.rabbitmq;

import org.jspecify.annotations.NullMarked;
