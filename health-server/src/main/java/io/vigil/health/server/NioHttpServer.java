package io.vigil.health.server;

import io.vigil.health.endpoint.HealthResponse;
import io.vigil.health.endpoint.ResponseSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for the health endpoints. One selector thread accepts connections and reads request
 * heads without blocking, so a client that sends slowly, sends nothing or sends too much costs a socket and at
 * most {@code maxHeaderBytes} of buffer, never a thread. Only a complete, valid head is handed to a bounded pool
 * of request threads; the answer is written back by the selector thread. Request bodies are never read: a request
 * that has one is answered and its connection closed.
 *
 * <p>Limits: at most {@code maxConnections} open connections. At the cap a new connection takes the place of the
 * oldest one that is not busy (answered and lingering first, then waiting for a head: idle keep-alive, slow or
 * silent), so a client holding the cap's worth of idle connections never locks a prober out; it is closed as soon
 * as it is accepted only when every connection has a request being handled or an answer being written. A head of at most {@code maxHeaderBytes} bytes and {@code maxHeaderCount} fields (431 otherwise); a
 * connection must deliver a complete head within {@code requestTimeout} of being accepted or of its previous
 * answer, and must take each answer within the same time, or it is closed.
 */
final class NioHttpServer {
    private static final Logger LOG = LoggerFactory.getLogger(JdkHealthServer.class);
    private static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final byte[] NONE = new byte[0];

    /** What the server asks of its user: the answer to a request. */
    interface Exchange {
        /**
         * @param head a complete, valid request head
         * @return the answer; called on a request thread
         */
        HealthResponse handle(RequestHead head);
    }

    /** The server's bounds. */
    record Limits(int maxConnections, int maxHeaderBytes, int maxHeaderCount, Duration requestTimeout, int threads) {}

    private enum State {
        /** Waiting for (the rest of) a request head. */
        READING,
        /** A request thread computes the answer; nothing is read meanwhile. */
        HANDLING,
        /** The answer is being written. */
        WRITING,
        /** Answered and output shut down; input is read and discarded until the client closes, for a bounded time. */
        DRAINING
    }

    /** One connection; touched only by the selector thread, except {@link #answer}, handed over through a queue. */
    private static final class Conn {
        final SocketChannel channel;
        final SelectionKey key;
        State state = State.READING;
        long deadline;
        byte[] in = NONE;
        int inLength;
        int scanned;
        boolean eof;

        @Nullable
        ByteBuffer out;

        boolean closeAfter;
        boolean linger;
        volatile @Nullable ByteBuffer answer;
        volatile boolean answerCloses;
        volatile boolean answerLingers;

        Conn(SocketChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }
    }

    private final Limits limits;
    private final long requestTimeout;
    private final Exchange exchange;
    private final HttpDate date;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final SelectionKey listenKey;
    private final ThreadPoolExecutor workers;
    private final Thread loop;
    private final Set<Conn> conns = new HashSet<>(); // guarded by: the selector thread only
    private final Queue<Conn> answered = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final ByteBuffer scratch = ByteBuffer.allocate(16 * 1024);
    private final int port;
    private volatile boolean closing;
    private volatile boolean forced;
    private boolean acceptStopped; // guarded by: the selector thread only
    private long acceptPausedUntil; // guarded by: the selector thread only
    private boolean acceptFailureLogged; // guarded by: the selector thread only

    NioHttpServer(InetSocketAddress address, Limits limits, Clock clock, Exchange exchange) throws IOException {
        this.limits = limits;
        this.date = new HttpDate(clock);
        this.requestTimeout = limits.requestTimeout().toNanos();
        this.exchange = exchange;
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, 1024);
            listener.configureBlocking(false);
            listenKey = listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw e;
        }
        this.port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        AtomicInteger n = new AtomicInteger();
        String name = "vigil-health-http-" + port + "-";
        this.workers = new ThreadPoolExecutor(
                limits.threads(),
                limits.threads(),
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(16 * limits.threads()),
                r -> daemon(r, name + n.incrementAndGet()));
        workers.allowCoreThreadTimeOut(true);
        this.loop = daemon(this::run, name + "io");
        loop.start();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    int port() {
        return port;
    }

    int openConnections() {
        return open.get();
    }

    int queuedRequests() {
        return workers.getQueue().size();
    }

    /**
     * Refuses new connections at once, closes connections without a request in progress, lets requests in progress
     * be answered (with {@code Connection: close}) for up to {@code grace}, then closes everything. Never interrupts
     * a request thread.
     */
    void close(Duration grace) {
        closing = true;
        selector.wakeup();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            if (!stopped.await(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                forced = true;
                selector.wakeup();
                stopped.await(1, TimeUnit.SECONDS);
            }
            workers.shutdown();
            workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            forced = true;
            selector.wakeup();
            workers.shutdown();
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ the selector thread

    private void run() {
        long nextSweep = System.nanoTime() + SWEEP_NANOS;
        try {
            while (!forced) {
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextSweep - System.nanoTime())));
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key == listenKey) {
                        if (key.isValid()) {
                            accept();
                        }
                    } else {
                        ready((Conn) key.attachment(), key);
                    }
                }
                selector.selectedKeys().clear();
                for (Conn c = answered.poll(); c != null; c = answered.poll()) {
                    ByteBuffer answer = c.answer; // set before the connection is queued
                    if (answer != null && conns.contains(c)) {
                        write(c, answer, c.answerCloses, c.answerLingers);
                    }
                }
                long now = System.nanoTime();
                if (now - nextSweep >= 0) {
                    sweep(now);
                    nextSweep = now + SWEEP_NANOS;
                }
                if (closing && drainedForClose()) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.atError().addKeyValue("error", e.getClass().getName()).log("health server stopped: {}", e.toString());
        } finally {
            for (Conn c : new ArrayList<>(conns)) {
                drop(c);
            }
            closeQuietly(listener);
            closeQuietly(selector);
            stopped.countDown();
        }
    }

    /** While closing: stop accepting, close what has no request in progress; done when nothing is in progress. */
    private boolean drainedForClose() {
        if (!acceptStopped) {
            acceptStopped = true;
            listenKey.cancel();
            closeQuietly(listener);
        }
        boolean busy = false;
        for (Conn c : new ArrayList<>(conns)) {
            if (c.state == State.READING || c.state == State.DRAINING) {
                drop(c);
            } else {
                busy = true;
            }
        }
        return !busy;
    }

    private void accept() {
        long now = System.nanoTime();
        for (int i = 0; i < 256 && !closing; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                // typically "too many open files": stop accepting for a moment instead of spinning
                if (!acceptFailureLogged) {
                    acceptFailureLogged = true;
                    LOG.atWarn()
                            .addKeyValue("error", e.toString())
                            .log("health server cannot accept connections: {}", e.toString());
                }
                listenKey.interestOps(0);
                acceptPausedUntil = now + ACCEPT_PAUSE_NANOS;
                return;
            }
            if (ch == null) {
                return;
            }
            if (conns.size() >= limits.maxConnections() && !evictOldestIdle()) {
                closeQuietly(ch); // every connection is busy
                continue;
            }
            Conn c;
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c = new Conn(ch, ch.register(selector, SelectionKey.OP_READ));
                c.key.attach(c);
            } catch (IOException e) {
                closeQuietly(ch);
                continue;
            }
            c.deadline = now + requestTimeout;
            conns.add(c);
            open.set(conns.size());
        }
    }

    /**
     * Closes the connection that has waited longest without a request in progress: a lingering one first, else the
     * one waiting for a head with the earliest deadline (the oldest accepted or answered).
     *
     * @return whether one was closed
     */
    private boolean evictOldestIdle() {
        Conn victim = null;
        for (Conn c : conns) {
            if (c.state == State.DRAINING) {
                victim = c;
                break;
            }
            if (c.state == State.READING && (victim == null || c.deadline - victim.deadline < 0)) {
                victim = c;
            }
        }
        if (victim == null) {
            return false;
        }
        drop(victim);
        return true;
    }

    private void ready(Conn c, SelectionKey key) {
        try {
            if (key.isValid() && key.isReadable()) {
                if (c.state == State.DRAINING) {
                    discard(c);
                } else if (c.state == State.READING) {
                    read(c);
                }
            }
            if (key.isValid() && key.isWritable() && c.state == State.WRITING) {
                flush(c);
            }
        } catch (IOException | RuntimeException e) {
            drop(c);
        }
    }

    private void read(Conn c) throws IOException {
        int max = limits.maxHeaderBytes();
        while (c.inLength < max) {
            if (c.inLength == c.in.length) {
                c.in = java.util.Arrays.copyOf(c.in, Math.min(max, Math.max(1024, c.in.length * 2)));
            }
            int n = c.channel.read(ByteBuffer.wrap(c.in, c.inLength, c.in.length - c.inLength));
            if (n < 0) {
                c.eof = true;
                break;
            }
            if (n == 0) {
                break;
            }
            c.inLength += n;
        }
        process(c);
    }

    /** Looks for a complete head in what was received; hands it on, refuses it, or waits for more. */
    private void process(Conn c) {
        int skip = 0;
        while (skip < c.inLength && (c.in[skip] == '\r' || c.in[skip] == '\n')) {
            skip++;
        }
        consume(c, skip);
        if (c.inLength == 0) {
            if (c.eof) {
                drop(c);
            }
            return;
        }
        int end = RequestHead.endOfHead(c.in, Math.max(0, c.scanned - 3), c.inLength);
        if (end < 0) {
            c.scanned = c.inLength;
            if (c.inLength >= limits.maxHeaderBytes()) {
                write(
                        c,
                        refusal(new RequestHead.Refusal(
                                431, "too-long", "Request head longer than " + limits.maxHeaderBytes() + " bytes")),
                        true,
                        true);
            } else if (c.eof) {
                drop(c);
            }
            return;
        }
        RequestHead.Parsed parsed = RequestHead.parse(c.in, 0, end, limits.maxHeaderCount());
        consume(c, end);
        RequestHead head = parsed.head();
        if (head == null) {
            write(c, refusal(Objects.requireNonNull(parsed.refusal(), "no head, so a refusal")), true, true);
            return;
        }
        c.state = State.HANDLING;
        c.key.interestOps(0);
        try {
            workers.execute(() -> answer(c, head));
        } catch (RejectedExecutionException e) {
            write(c, refusal(new RequestHead.Refusal(503, "transient", "Health server busy")), true, head.hasBody());
        }
    }

    private void consume(Conn c, int n) {
        if (n > 0) {
            System.arraycopy(c.in, n, c.in, 0, c.inLength - n);
            c.inLength -= n;
            c.scanned = 0;
        }
    }

    /** On a request thread. */
    private void answer(Conn c, RequestHead head) {
        HealthResponse r = null;
        try {
            r = exchange.handle(head);
        } catch (RuntimeException e) {
            LOG.atError()
                    .addKeyValue("error", e.getClass().getName())
                    .log("health request failed: {}", e.getClass().getName());
        } finally {
            boolean keep = r != null && head.keepAlive() && !closing;
            c.answer = r != null
                    ? encode(r, keep, head.http10())
                    : refusal(new RequestHead.Refusal(500, "exception", "The health machinery failed"));
            c.answerCloses = !keep;
            c.answerLingers = head.hasBody();
            answered.add(c);
            selector.wakeup();
        }
    }

    private void write(Conn c, ByteBuffer bytes, boolean closeAfter, boolean linger) {
        c.state = State.WRITING;
        c.out = bytes;
        c.closeAfter = closeAfter;
        c.linger = linger || (closeAfter && c.inLength > 0);
        c.deadline = System.nanoTime() + requestTimeout;
        try {
            flush(c);
        } catch (IOException | RuntimeException e) {
            drop(c);
        }
    }

    private void flush(Conn c) throws IOException {
        ByteBuffer out = Objects.requireNonNull(c.out, "only a connection with an answer is flushed");
        while (out.hasRemaining()) {
            if (c.channel.write(out) == 0) {
                c.key.interestOps(SelectionKey.OP_WRITE);
                return;
            }
        }
        c.out = null;
        if (c.closeAfter) {
            if (!c.linger) {
                drop(c);
                return;
            }
            c.channel.shutdownOutput();
            c.state = State.DRAINING;
            c.deadline = System.nanoTime() + Math.min(LINGER_NANOS, requestTimeout);
            c.key.interestOps(SelectionKey.OP_READ);
            return;
        }
        c.state = State.READING;
        c.deadline = System.nanoTime() + requestTimeout;
        c.key.interestOps(SelectionKey.OP_READ);
        process(c);
    }

    private void discard(Conn c) throws IOException {
        c.in = NONE;
        c.inLength = 0;
        for (int i = 0; i < 64; i++) {
            scratch.clear();
            int n = c.channel.read(scratch);
            if (n < 0) {
                drop(c);
                return;
            }
            if (n == 0) {
                return;
            }
        }
    }

    private void sweep(long now) {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0 && !closing) {
            acceptPausedUntil = 0;
            listenKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        List<Conn> expired = new ArrayList<>();
        for (Conn c : conns) {
            if (c.state != State.HANDLING && now - c.deadline >= 0) {
                expired.add(c);
            }
        }
        expired.forEach(this::drop);
    }

    private void drop(Conn c) {
        if (conns.remove(c)) {
            open.set(conns.size());
        }
        c.key.cancel();
        closeQuietly(c.channel);
        c.in = NONE;
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to do with a connection that cannot even be closed
        }
    }

    // ------------------------------------------------------------------ encoding answers

    private ByteBuffer encode(HealthResponse r, boolean keepAlive, boolean http10) {
        return encode(r, keepAlive, http10, date.now());
    }

    static ByteBuffer encode(HealthResponse r, boolean keepAlive, boolean http10, String date) {
        StringBuilder h = new StringBuilder(256);
        byte[][] body = {NONE};
        try {
            r.writeTo(new ResponseSink() {
                @Override
                public void status(int code) {
                    h.append("HTTP/1.1 ")
                            .append(code)
                            .append(' ')
                            .append(reason(code))
                            .append("\r\nDate: ")
                            .append(date)
                            .append("\r\n");
                }

                @Override
                public void header(String name, String value) {
                    if (!name.equalsIgnoreCase("Connection")) {
                        h.append(name).append(": ").append(value).append("\r\n");
                    }
                }

                @Override
                public void body(byte[] bytes) {
                    body[0] = bytes;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink above does no I/O
        }
        if (!keepAlive) {
            h.append("Connection: close\r\n");
        } else if (http10) {
            h.append("Connection: keep-alive\r\n");
        }
        h.append("\r\n");
        byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        return ByteBuffer.allocate(head.length + body[0].length)
                .put(head)
                .put(body[0])
                .flip();
    }

    private ByteBuffer refusal(RequestHead.Refusal refusal) {
        return encode(
                HealthResponse.refusal(refusal.status(), refusal.code(), refusal.diagnostics(), false), false, false);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 402 -> "Payment Required";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 414 -> "URI Too Long";
            case 423 -> "Locked";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 505 -> "HTTP Version Not Supported";
            default -> "";
        };
    }
}
