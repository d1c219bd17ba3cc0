package io.vigil.health.tck;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Abusive clients against one server, on plain sockets: slow ("slowloris": a request line, then one header line
 * per interval, never finishing), idle (connected, sending nothing) and oversized (one huge header). One
 * scheduler thread drips for all slow clients; a slow client the server closes is reconnected, as an attacker
 * would. {@link #close()} closes every socket.
 */
public final class Abuse implements AutoCloseable {
    private final InetSocketAddress target;
    private final List<Socket> idle = new ArrayList<>(); // guarded by this
    private final List<Socket> slow = new ArrayList<>(); // guarded by this
    private final List<Socket> other = new ArrayList<>(); // guarded by this
    private final ScheduledExecutorService drip = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "abuse-drip");
        t.setDaemon(true);
        return t;
    });
    private final java.util.concurrent.ExecutorService blocking = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "abuse-client");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger drips = new AtomicInteger();
    private final AtomicInteger reconnects = new AtomicInteger();
    private volatile boolean closed;

    /** @param base the server, e.g. {@code http://127.0.0.1:8080} */
    public Abuse(URI base) {
        this.target = new InetSocketAddress(base.getHost(), base.getPort());
    }

    /**
     * Opens slow clients: each sends a request line at once and then one more header line every {@code every}.
     *
     * @param n     how many
     * @param every interval between header lines
     * @throws IOException if a client cannot connect
     */
    public void slowloris(int n, Duration every) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket s = open();
            startSlow(s);
            synchronized (this) {
                slow.add(s);
            }
        }
        // no handle needed: close() shuts the drip executor down
        var unused =
                drip.scheduleAtFixedRate(this::dripOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startSlow(Socket s) throws IOException {
        s.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost: abuse\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    private void dripOnce() {
        Socket[] all;
        synchronized (this) {
            all = slow.toArray(Socket[]::new);
        }
        byte[] line = ("X-Slow-" + drips.get() + ": still here\r\n").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < all.length && !closed; i++) {
            try {
                all[i].getOutputStream().write(line);
            } catch (IOException e) {
                reconnect(all[i]);
            }
        }
        drips.incrementAndGet();
    }

    private void reconnect(Socket dead) {
        try {
            dead.close();
            Socket s = open();
            startSlow(s);
            synchronized (this) {
                slow.set(slow.indexOf(dead), s);
            }
            reconnects.incrementAndGet();
        } catch (IOException e) {
            // refused (e.g. at the server's connection cap): try again on the next drip
        }
    }

    /**
     * Opens connections that send nothing.
     *
     * @param n how many
     * @throws IOException if a client cannot connect
     */
    public void idle(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            Socket s = open();
            synchronized (this) {
                idle.add(s);
            }
        }
    }

    /**
     * Sends a request with one header of {@code bytes} bytes, as fast as the server takes it.
     *
     * @param bytes header value size
     * @return what the server sent back (text up to the first blank line), or the exception's class name if the
     *     connection was reset before anything arrived
     * @throws IOException if the client cannot connect
     */
    public CompletableFuture<String> hugeHeader(int bytes) throws IOException {
        Socket s = open();
        synchronized (this) {
            other.add(s);
        }
        byte[] value = new byte[bytes];
        Arrays.fill(value, (byte) 'a');
        // the writer ends by itself (written, or refused by the server); nothing waits for it
        var unused = CompletableFuture.runAsync(
                () -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        out.write("GET /health/live HTTP/1.1\r\nHost: abuse\r\nX-Huge: "
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(value);
                        out.write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        // the server stopped reading: expected
                    }
                },
                blocking);
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        InputStream in = s.getInputStream();
                        StringBuilder got = new StringBuilder();
                        for (int c = in.read(); c >= 0 && got.indexOf("\r\n\r\n") < 0; c = in.read()) {
                            got.append((char) c);
                        }
                        return got.toString();
                    } catch (IOException e) {
                        return e.getClass().getSimpleName();
                    }
                },
                blocking);
    }

    private Socket open() throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(30_000);
        s.connect(target, 10_000);
        return s;
    }

    /** @return how many drip rounds have run */
    public int drips() {
        return drips.get();
    }

    /** @return how many slow clients were closed by the server and reconnected */
    public int reconnects() {
        return reconnects.get();
    }

    /**
     * Fails with a clear message (never skips) if the process may not open enough file descriptors for
     * {@code sockets} loopback connections (client and server end each, plus the JVM's own).
     *
     * @param sockets connections the test opens
     * @throws IllegalStateException if the limit is too low
     */
    public static void requireFileDescriptors(int sockets) {
        long needed = 2L * sockets + 400;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        instanceof com.sun.management.UnixOperatingSystemMXBean os
                && os.getMaxFileDescriptorCount() < needed) {
            throw new IllegalStateException("this test opens " + sockets + " sockets on loopback and needs " + needed
                    + " file descriptors, the limit is " + os.getMaxFileDescriptorCount() + ": raise it (ulimit -n "
                    + needed + ") to run the build");
        }
    }

    /** Figures of a probing run. */
    public record Probes(List<Integer> statuses, long slowestMillis) {}

    /**
     * Probes as kubelet does: every {@code interval} a new connection, {@code GET /health/live}, {@code Connection:
     * close}, a 3 s timeout (which fails the probe, and the test, with an exception).
     *
     * @param base     the server
     * @param count    how many probes
     * @param interval time between the starts of two probes
     * @param after    run after each probe (e.g. to sample the server's threads)
     * @return the statuses in order and the slowest probe's duration
     * @throws InterruptedException if interrupted while pacing
     */
    public static Probes probe(URI base, int count, Duration interval, Runnable after) throws InterruptedException {
        List<Integer> statuses = new ArrayList<>();
        long slowest = 0;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            try (RawHttp c = RawHttp.connect(base, Duration.ofSeconds(3))) {
                statuses.add(c.send("GET /health/live HTTP/1.1\r\nHost: prober\r\nConnection: close\r\n\r\n")
                        .read(false)
                        .status());
            }
            slowest = Math.max(slowest, System.nanoTime() - t0);
            after.run();
            long next = start + (i + 1) * interval.toNanos();
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        return new Probes(statuses, slowest / 1_000_000);
    }

    /**
     * @param base a server
     * @return whether a new connection to it is refused
     */
    public static boolean refused(URI base) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 2_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        drip.shutdownNow();
        blocking.shutdownNow();
        List<Socket> all = new ArrayList<>();
        synchronized (this) {
            all.addAll(idle);
            all.addAll(slow);
            all.addAll(other);
        }
        for (Socket s : all) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a test socket
            }
        }
    }
}
