/**
 * Kafka check: {@link io.vigil.health.kafka.KafkaCheck} asks the cluster through an {@code Admin} client (the
 * application's or one of its own) whether it is reachable, how many brokers and which controller it has, whether
 * required topics exist and how far watched consumer groups lag. Read-only: it never produces or consumes.
 * {@code kafka-clients} is a {@code provided} dependency: the application brings its own.
 */
@NullMarked
package io.vigil.health.kafka;

import org.jspecify.annotations.NullMarked;
