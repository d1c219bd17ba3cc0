package io.vigil.health.jms;

import io.vigil.health.test.Ports;
import java.nio.file.Path;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * A real ActiveMQ Artemis broker embedded in the test JVM: a TCP acceptor on a free port, one user, one queue
 * ({@code orders}), no auto-created queues. Stopping it closes the acceptor and every connection for real.
 */
final class ArtemisBroker implements AutoCloseable {
    static final String USER = "vigil";
    static final String PASSWORD = "s3cret-artemis-pw";
    private final int port = Ports.free();
    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();

    ArtemisBroker(Path dir) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(true)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port)
                .addQueueConfiguration(QueueConfiguration.of("orders").setRoutingType(RoutingType.ANYCAST))
                .addAddressSetting(
                        "#", new AddressSettings().setAutoCreateQueues(false).setAutoCreateAddresses(false));
        config.putSecurityRoles(
                "#", Set.of(new Role("app", true, true, true, true, true, true, true, true, true, true, true, true)));
        server.setConfiguration(config);
        server.setSecurityManager(new ActiveMQSecurityManager() {
            @Override
            public boolean validateUser(String user, String password) {
                return USER.equals(user) && PASSWORD.equals(password);
            }

            @Override
            public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
                return validateUser(user, password);
            }
        });
        server.start();
    }

    void stop() throws Exception {
        server.stop();
    }

    void start() throws Exception {
        server.start();
    }

    int port() {
        return port;
    }

    /** @return a client factory for the URL, failing fast rather than reconnecting (the check decides) */
    static ActiveMQConnectionFactory factory(int port, String password) {
        ActiveMQConnectionFactory f = new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + port + "?reconnectAttempts=0&initialConnectAttempts=1", USER, password);
        return f;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) { // stopping is the last thing a test does: fail it, loudly
            throw new IllegalStateException("could not stop the server", e);
        }
    }
}
