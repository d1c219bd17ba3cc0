package io.vigil.health.tck;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.x connection over a plain socket, for requests an HTTP client library would not send as written
 * (pipelining, absolute-form targets, conflicting framing headers). Every read is bounded by the socket timeout,
 * so a server that never answers fails the test instead of hanging it.
 */
public final class RawHttp implements AutoCloseable {
    /** A response as read from the wire; header names in lower case. */
    public static final class Response { // not a record: it would compare the array by identity
        private final int status;
        private final Map<String, List<String>> headers;
        private final byte[] body;

        /**
         * @param status  the status code
         * @param headers header names in lower case
         * @param body    the body as read
         */
        public Response(int status, Map<String, List<String>> headers, byte[] body) {
            this.status = status;
            this.headers = headers;
            this.body = body;
        }

        /** @return the status */
        public int status() {
            return status;
        }

        /** @return the headers */
        public Map<String, List<String>> headers() {
            return headers;
        }

        /** @return the body */
        public byte[] body() {
            return body;
        }

        /**
         * @param name header name, any case
         * @return its first value, or {@code null}
         */
        public @Nullable String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : v.get(0);
        }

        /** @return whether the server announced that it closes the connection */
        public boolean closes() {
            String c = header("Connection");
            return c != null && c.toLowerCase(Locale.ROOT).contains("close");
        }

        /** @return the body as UTF-8 text */
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    /**
     * @param base    the server, e.g. {@code http://127.0.0.1:8080}
     * @param timeout connect and read timeout
     * @return an open connection
     */
    public static RawHttp connect(URI base, Duration timeout) {
        Socket s = new Socket();
        try {
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) timeout.toMillis());
            return new RawHttp(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the connect failure is what matters
            }
            throw new UncheckedIOException("cannot connect to " + base, e);
        }
    }

    /**
     * @param text request bytes as ISO-8859-1 text, CRLFs included
     * @return this connection
     */
    public RawHttp send(String text) {
        try {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Half-closes the connection: the server sees the end of the request stream, the answer may still arrive.
     *
     * @return this connection
     */
    public RawHttp shutdownOutput() {
        try {
            socket.shutdownOutput();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the next final response (interim 1xx responses are skipped).
     *
     * @param head whether it answers a HEAD request (no body follows)
     * @return the response
     * @throws UncheckedIOException on a timeout, a reset or a connection closed before a complete response
     */
    public Response read(boolean head) {
        try {
            while (true) {
                String statusLine = line();
                if (statusLine == null) {
                    throw new EOFException("connection closed before a response");
                }
                String[] parts = statusLine.split(" ", 3);
                if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                    throw new IOException("not an HTTP/1.x status line: " + statusLine);
                }
                int status = Integer.parseInt(parts[1]);
                Map<String, List<String>> headers = new TreeMap<>();
                for (String h = line(); h != null && !h.isEmpty(); h = line()) {
                    int c = h.indexOf(':');
                    headers.computeIfAbsent(h.substring(0, c).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(h.substring(c + 1).trim());
                }
                if (status < 200) {
                    continue;
                }
                Response r = new Response(status, headers, new byte[0]);
                if (head || status == 204 || status == 304) {
                    return r;
                }
                if ("chunked".equalsIgnoreCase(r.header("Transfer-Encoding"))) {
                    return new Response(status, headers, chunked());
                }
                if (r.header("Content-Length") != null) {
                    return new Response(status, headers, in.readNBytes(Integer.parseInt(r.header("Content-Length"))));
                }
                return new Response(status, headers, in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return whether the server closed the connection (or reset it) without sending anything more
     * @throws UncheckedIOException on a read timeout: the server kept the connection open
     */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException e) {
            throw new UncheckedIOException("the server kept the connection open", e);
        } catch (IOException e) {
            return true; // reset
        }
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line();
            if (size == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int n = Integer.parseInt(size.split(";", -1)[0].trim(), 16);
            if (n == 0) {
                while (true) {
                    String trailer = line();
                    if (trailer == null || trailer.isEmpty()) {
                        return body.toByteArray();
                    }
                }
            }
            body.write(in.readNBytes(n));
            line();
        }
    }

    private @Nullable String line() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c >= 0; c = in.read()) {
            if (c == '\n') {
                int len = b.length();
                return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
            }
            b.append((char) c);
        }
        return b.length() == 0 ? null : b.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test connection
        }
    }
}
