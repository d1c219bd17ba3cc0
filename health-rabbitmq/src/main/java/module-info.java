/** RabbitMQ checks over the application's own connection ({@code RabbitMqCheck}): open, blocked, queue depth. */
// amqp-client is an automatic module with a stable Automatic-Module-Name (com.rabbitmq.client); its types are in the
// API
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.vigil.health.rabbitmq {
    requires transitive io.vigil.health;
    requires transitive com.rabbitmq.client;

    exports io.vigil.health.rabbitmq;
}
