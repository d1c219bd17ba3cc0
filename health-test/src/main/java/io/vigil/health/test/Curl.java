package io.vigil.health.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * What {@code curl} sends and receives, byte for byte: for generated documentation that shows a real server's head
 * (status line, header names and order as the server writes them) and body.
 */
public final class Curl {
    private Curl() {}

    /**
     * A bounded {@code GET} on loopback with the request line and headers curl sends, and {@code Connection: close}.
     *
     * @param port the server's port
     * @param host the {@code Host} header's value, e.g. {@code localhost:9090}
     * @param path path and query
     * @return the whole response as received (head, blank line, body), at most 1 MiB
     * @throws IOException if the exchange fails or takes more than 20 s without a byte
     */
    public static String get(int port, String host, String path) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: curl/8.5.0"
                                    + "\r\nAccept: */*\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) >= 0 && buf.size() < 1 << 20; ) {
                buf.write(chunk, 0, n);
            }
            return buf.toString(StandardCharsets.UTF_8);
        }
    }
}
