package io.vigil.health.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback that forwards to a target until {@link #blackHole()} is called; from then on it
 * accepts connections and reads but never answers or forwards (existing connections stall too), which is
 * what a half-dead network does. {@link #forward()} heals it for new connections. {@link #stall()} is the
 * passing kind of fault: every connection, old and new, is connected through but carries nothing until
 * {@link #forward()}, and then everything held back flows.
 */
public final class BlackHoleProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "black-hole-proxy");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean blackHole;
    private volatile boolean stalled;

    /**
     * @param targetHost host to forward to
     * @param targetPort port to forward to
     * @throws IOException if no loopback port can be bound
     */
    public BlackHoleProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** @return the proxy's port on loopback */
    public int port() {
        return server.getLocalPort();
    }

    /** @return connections accepted so far */
    public int acceptedConnections() {
        return accepted.get();
    }

    /** Stops answering: accepted connections are held open and silent; in-flight forwarding stalls. */
    public void blackHole() {
        blackHole = true;
    }

    /**
     * Holds every byte back, in both directions, on existing and new connections (new ones are still connected
     * to the target, so the server sees them), until {@link #forward()}.
     */
    public void stall() {
        stalled = true;
    }

    /** Forwards again: for new connections after {@link #blackHole()}, for all after {@link #stall()}. */
    public void forward() {
        blackHole = false;
        stalled = false;
        synchronized (this) {
            notifyAll();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                sockets.add(client);
                if (blackHole) {
                    threads.execute(() -> drain(client));
                } else {
                    Socket upstream = new Socket();
                    upstream.connect(target, 2000);
                    sockets.add(upstream);
                    threads.execute(() -> pump(client, upstream));
                    threads.execute(() -> pump(upstream, client));
                }
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
            }
        }
    }

    private void drain(Socket s) {
        byte[] buf = new byte[8192];
        try (InputStream in = s.getInputStream()) {
            while (in.read(buf) >= 0) {
                // swallow
            }
        } catch (IOException ignored) {
            // closed
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                while (blackHole || stalled) {
                    synchronized (this) {
                        wait(50);
                    }
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException ignored) {
            // closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(BlackHoleProxy::closeQuietly);
        threads.shutdownNow();
    }
}
