package io.vigil.health.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP(S) server on loopback (the JDK's HttpServer) whose answer the test scripts: any status, a health
 * body, a delay, a connection broken mid-body, an endless body. Counts and records the requests it receives.
 */
final class Upstream implements AutoCloseable {

    /** What the server does with one request. */
    @FunctionalInterface
    interface Answer {
        void handle(HttpExchange exchange) throws IOException;
    }

    /** One request as the server saw it. */
    record Seen(String method, String rawPath, String rawQuery, Headers headers) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-upstream");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Answer answer = status(200);

    private Upstream(HttpServer server) {
        this.server = server;
        server.createContext("/", this::exchange);
        server.setExecutor(threads);
        server.start();
    }

    static Upstream http() throws IOException {
        return new Upstream(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50));
    }

    static Upstream https(SSLContext context) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        s.setHttpsConfigurator(new HttpsConfigurator(context));
        return new Upstream(s);
    }

    private void exchange(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        seen.add(new Seen(
                ex.getRequestMethod(),
                ex.getRequestURI().getRawPath(),
                ex.getRequestURI().getRawQuery(),
                ex.getRequestHeaders()));
        try {
            ex.getRequestBody().readAllBytes();
            answer.handle(ex);
        } finally {
            ex.close();
        }
    }

    /** @param value what to answer from now on */
    Upstream answer(Answer value) {
        answer = value;
        return this;
    }

    int requests() {
        return requests.get();
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    Seen last() {
        return seen.get(seen.size() - 1);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** @param pathAndQuery e.g. {@code /health?x=1} */
    String url(String pathAndQuery) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://localhost:" + port() + pathAndQuery;
    }

    static Answer status(int code) {
        return ex -> ex.sendResponseHeaders(code, -1);
    }

    static Answer body(int code, String contentType, String body) {
        return ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
            ex.getResponseBody().write(b);
        };
    }

    static Answer redirect(int code, String location) {
        return ex -> {
            ex.getResponseHeaders().set("Location", location);
            ex.sendResponseHeaders(code, -1);
        };
    }

    /** Answers only when the server closes (or after a minute): a hung upstream. */
    Answer hang() {
        return ex -> {
            try {
                closing.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, -1);
        };
    }

    /** Promises 1000 bytes, sends 10 and drops the connection. */
    static Answer breakOffMidBody() {
        return ex -> {
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // closing the exchange with 990 bytes missing makes the JDK server drop the connection
        };
    }

    /** Sends the head and 10 of 1000 promised body bytes, then nothing until the server closes: a stalled body. */
    Answer stallBody() {
        return ex -> {
            ex.sendResponseHeaders(200, 1000);
            OutputStream out = ex.getResponseBody();
            out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try {
                closing.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** A chunked body that never ends, until the client goes away or the server closes. */
    Answer endless(String contentType, String prefix) {
        return ex -> {
            ex.getResponseHeaders().set("Content-Type", contentType);
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write(prefix.getBytes(StandardCharsets.UTF_8));
            byte[] filler = " ".repeat(8192).getBytes(StandardCharsets.US_ASCII);
            while (closing.getCount() > 0) {
                out.write(filler); // throws once the client has cancelled and closed the connection
                out.flush();
            }
        };
    }

    @Override
    public void close() {
        closing.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
