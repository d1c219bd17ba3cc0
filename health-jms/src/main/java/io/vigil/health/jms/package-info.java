/**
 * JMS check: {@link io.vigil.health.jms.JmsCheck} keeps one connection from the application's Jakarta Messaging
 * {@code ConnectionFactory} (ActiveMQ Artemis, IBM MQ, any JMS 3 provider), opens a session per run and browses the
 * required queues. {@code jakarta.jms-api} is a {@code provided} dependency.
 */
@NullMarked
package io.vigil.health.jms;

import org.jspecify.annotations.NullMarked;
