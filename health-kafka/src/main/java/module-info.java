/**
 * Kafka checks over the application's own {@code Admin} client ({@code KafkaCheck}): cluster, brokers, topics,
 * consumer lag.
 */
// kafka-clients (4.1) declares no module name: "kafka.clients" is derived from its jar's file name, so this module
// does not make it a hard requirement: `static` (the application that builds the Admin requires and resolves it),
// `transitive` because the builders take its Admin
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.kafka {
    requires transitive io.vigil.health;
    requires static transitive kafka.clients;

    exports io.vigil.health.kafka;
}
