package io.vigil.health.mail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The command/reply exchange over one connection, every read bounded by one deadline: before each read the socket
 * timeout is set to the time left, so a server that trickles bytes cannot stretch the check past its budget. Not
 * thread-safe; one per check execution.
 */
final class SmtpSession {
    /** RFC 5321 §4.5.3.1.5 allows 512 octets a reply line; some servers send longer ones, none this long. */
    static final int MAX_LINE = 2048;

    private final long deadline; // System.nanoTime() scale
    private final byte[] buffer = new byte[4096];
    private final StringBuilder line = new StringBuilder();
    private @Nullable Socket socket;
    private InputStream in;
    private OutputStream out;
    private int pos;
    private int limit;

    SmtpSession(Socket socket, long deadline) throws IOException {
        this.deadline = deadline;
        use(socket);
    }

    /** Over streams without a socket (the fuzz test): no deadline. */
    SmtpSession(InputStream in, OutputStream out) {
        this.deadline = Long.MAX_VALUE;
        this.in = in;
        this.out = out;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    /**
     * Continues over the TLS socket layered on this session's connection after a {@code 220} to {@code STARTTLS}.
     *
     * @throws SmtpProtocolException if the server sent more after its reply: bytes that would otherwise be taken
     *                               as coming over TLS (the STARTTLS command injection of CVE-2011-0411)
     */
    void upgrade(Socket tls) throws IOException {
        if (pos < limit) {
            throw new SmtpProtocolException("server sent data after its STARTTLS reply");
        }
        use(tls);
    }

    @Nullable
    Socket socket() {
        return socket;
    }

    SmtpReply command(String command) throws IOException {
        send(command);
        return read();
    }

    void send(String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    SmtpReply read() throws IOException {
        SmtpReply.Parser parser = new SmtpReply.Parser();
        SmtpReply reply;
        do {
            reply = parser.accept(readLine());
        } while (reply == null);
        return reply;
    }

    private String readLine() throws IOException {
        line.setLength(0);
        int length = 0;
        while (true) {
            if (pos == limit) {
                fill();
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
                    line.setLength(line.length() - 1);
                }
                return line.toString();
            }
            if (++length > MAX_LINE) {
                throw new SmtpProtocolException("reply line longer than " + MAX_LINE + " bytes");
            }
            line.append((char) (b & 0xff)); // ISO-8859-1: replies are ASCII, anything else is only shown
        }
    }

    private void fill() throws IOException {
        if (socket != null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        pos = 0;
        limit = n;
    }
}
