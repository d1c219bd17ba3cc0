package io.vigil.health.mail;

import io.vigil.health.test.TestCertificates;
import java.net.InetAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;
import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.auth.PlainAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.UsernamePasswordValidator;
import org.subethamail.smtp.server.SMTPServer;

/**
 * A real SMTP server (SubEthaSMTP) on a free loopback port, with STARTTLS or implicit TLS presenting a certificate
 * made for the test, and AUTH PLAIN/LOGIN against one user; it counts the logins it is asked for, so a test can
 * prove that credentials were never sent.
 */
final class MailServer implements AutoCloseable {
    static final String USER = "relay-user";
    static final String PASSWORD = "s3cr3t-Passw0rd";

    private final SMTPServer server;
    private final AtomicInteger logins = new AtomicInteger();
    private volatile Runnable onLogin = () -> {};

    private MailServer(UnaryOperator<SMTPServer.Builder> config) {
        this(config, false);
    }

    private MailServer(UnaryOperator<SMTPServer.Builder> config, boolean plainOnly) {
        UsernamePasswordValidator validator = (user, password, context) -> {
            logins.incrementAndGet();
            onLogin.run();
            if (!USER.equals(user) || !PASSWORD.equals(password)) {
                throw new LoginFailedException();
            }
        };
        SMTPServer.Builder b = SMTPServer.port(0)
                .bindAddress(InetAddress.getLoopbackAddress())
                .hostName("localhost")
                .executorService(Executors.newCachedThreadPool(r -> {
                    Thread t = new Thread(r, "smtp-server");
                    t.setDaemon(true);
                    return t;
                }))
                .messageHandler((context, from, to, data) -> {
                    throw new AssertionError("the check sent mail");
                })
                .authenticationHandlerFactory(
                        plainOnly
                                ? new PlainAuthenticationHandlerFactory(validator)
                                : new EasyAuthenticationHandlerFactory(validator));
        server = config.apply(b).build();
        server.start();
    }

    /** Plain SMTP with AUTH, no TLS offered. */
    static MailServer plain() {
        return new MailServer(b -> b);
    }

    /** STARTTLS offered, presenting the test certificate {@code certificate}. */
    static MailServer startTls(String certificate) {
        SSLContext tls = TestCertificates.shared().serverContext(certificate);
        return new MailServer(b -> b.enableTLS().startTlsSocketFactory(tls));
    }

    /** STARTTLS offered, AUTH PLAIN only. */
    static MailServer startTlsPlainOnly(String certificate) {
        SSLContext tls = TestCertificates.shared().serverContext(certificate);
        return new MailServer(b -> b.enableTLS().startTlsSocketFactory(tls), true);
    }

    /** TLS from the first byte (SMTPS), presenting the test certificate {@code certificate}. */
    static MailServer implicitTls(String certificate) {
        SSLContext tls = TestCertificates.shared().serverContext(certificate);
        return new MailServer(b -> b.serverSocketFactory(tls));
    }

    int port() {
        return server.getPortAllocated();
    }

    /** @return how many AUTH attempts reached the server's validator */
    int logins() {
        return logins.get();
    }

    /** @param action run by the server when a login arrives, before it answers */
    void onLogin(Runnable action) {
        onLogin = action;
    }

    void stop() {
        server.stop();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }
}
