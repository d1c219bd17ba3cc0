/** JMS checks over the application's own {@code ConnectionFactory} ({@code JmsCheck}). */
module io.vigil.health.jms {
    requires transitive io.vigil.health;
    requires transitive jakarta.messaging;

    exports io.vigil.health.jms;
}
