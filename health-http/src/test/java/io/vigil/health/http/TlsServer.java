package io.vigil.health.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/** A TLS server on loopback: completes handshakes with a given certificate, then waits for the client to leave. */
final class TlsServer implements AutoCloseable {
    private final SSLServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-tls-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger handshakes = new AtomicInteger();

    TlsServer(SSLContext context) throws IOException {
        server = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int handshakes() {
        return handshakes.get();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.execute(() -> serve((SSLSocket) s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(SSLSocket s) {
        try (s;
                InputStream in = s.getInputStream()) {
            s.setSoTimeout(30_000);
            s.startHandshake();
            handshakes.incrementAndGet();
            in.read(); // until the client closes
        } catch (IOException e) {
            // clients that reject us or leave are expected
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
