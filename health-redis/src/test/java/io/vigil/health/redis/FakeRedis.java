package io.vigil.health.redis;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A misbehaving Redis written for the tests: a loopback server that runs a script per connection. Scripts read
 * the client's commands with {@link Client#command()} and write whatever they like; bytes written are counted so
 * that tests can show a check stopped reading.
 */
final class FakeRedis implements AutoCloseable {
    /** What the fake does with one connection. */
    interface Script {
        void serve(Client client) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-redis");
        t.setDaemon(true);
        return t;
    });
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong written = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger finished = new java.util.concurrent.atomic.AtomicInteger();
    final List<List<String>> commands = new CopyOnWriteArrayList<>();

    FakeRedis(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    threads.execute(() -> {
                        try (s) {
                            script.serve(new Client(s));
                        } catch (IOException | InterruptedException ignored) {
                            // the check hung up, as it should
                        } finally {
                            finished.incrementAndGet();
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    int port() {
        return server.getLocalPort();
    }

    String uri() {
        return "redis://127.0.0.1:" + port();
    }

    /** @return bytes the scripts managed to write so far */
    long bytesWritten() {
        return written.get();
    }

    /** @return connections whose script has ended (returned, or failed because the peer hung up) */
    int finishedConnections() {
        return finished.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        threads.shutdownNow();
    }

    /** One accepted connection. */
    final class Client {
        private final InputStream in;
        private final OutputStream out;

        Client(Socket socket) throws IOException {
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads one command (an array of bulk strings) and records it. */
        List<String> command() throws IOException {
            String header = line();
            if (!header.startsWith("*")) {
                throw new IOException("not a command: " + header);
            }
            int n = Integer.parseInt(header.substring(1));
            List<String> args = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int len = Integer.parseInt(line().substring(1));
                byte[] b = in.readNBytes(len + 2);
                args.add(new String(b, 0, len, StandardCharsets.UTF_8));
            }
            commands.add(List.copyOf(args));
            return args;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new EOFException();
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        void send(String text) throws IOException {
            send(text.getBytes(StandardCharsets.UTF_8));
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
            written.addAndGet(bytes.length);
        }

        /** Answers a healthy master's PING and INFO, for scripts that misbehave only later. */
        void answerLikeRedis(List<String> command) throws IOException {
            String name = command.get(0).toUpperCase(java.util.Locale.ROOT);
            switch (name) {
                case "PING" -> send("+PONG\r\n");
                case "AUTH", "SELECT" -> send("+OK\r\n");
                case "INFO" -> {
                    String body = "server".equalsIgnoreCase(command.get(1))
                            ? "# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\n"
                            : "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
                    send("$" + body.length() + "\r\n" + body + "\r\n");
                }
                default -> send("-ERR unknown command\r\n");
            }
        }

        /** Reads and discards until the client hangs up. */
        void drain() throws IOException {
            while (in.read() >= 0) {
                // nothing
            }
        }
    }
}
