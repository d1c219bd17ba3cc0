package io.vigil.health.redis;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One RESP2 conversation over a connected socket: sends a command as an array of bulk strings, reads exactly one
 * reply. Every read waits at most until the deadline; no reply may exceed {@code maxReplyBytes}. Replies are
 * parsed strictly: anything but {@code + - : $} (arrays are never expected by {@link RedisProbeCheck}), a bare LF, a CR not
 * followed by LF, a bad length or a missing terminator is {@link RespException.Kind#MALFORMED}. Not thread-safe.
 */
final class RespConnection implements Closeable {
    /** Longest accepted status or error line. */
    static final int MAX_LINE = 4096;

    private static final int MAX_NUMBER = 20;

    private final Socket socket;
    private final long deadlineNanos;
    private final int maxReplyBytes;
    private final InputStream in;
    private final OutputStream out;

    RespConnection(Socket socket, long deadlineNanos, int maxReplyBytes) throws IOException {
        this.socket = socket;
        this.deadlineNanos = deadlineNanos;
        this.maxReplyBytes = maxReplyBytes;
        this.in = new BufferedInputStream(new DeadlineInput(socket.getInputStream()), 8192);
        this.out = socket.getOutputStream();
    }

    /** A reply of one of the four types {@link RedisProbeCheck} can receive. */
    sealed interface Reply permits Simple, ErrorReply, Int, Bulk {}

    /** {@code +text}. */
    record Simple(String text) implements Reply {}

    /** {@code -CODE text}. */
    record ErrorReply(String text) implements Reply {}

    /** {@code :n}. */
    record Int(long value) implements Reply {}

    /** {@code $n}; {@code bytes} is {@code null} for the nil bulk string. */
    static final class Bulk implements Reply { // not a record: it would compare the array by identity
        private final byte @Nullable [] bytes;

        Bulk(byte @Nullable [] bytes) {
            this.bytes = bytes;
        }

        byte @Nullable [] bytes() {
            return bytes;
        }

        @Nullable
        String text() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /**
     * Sends one command and reads its reply.
     *
     * @param args command and arguments (UTF-8)
     * @return the reply
     * @throws SocketTimeoutException when the deadline passes
     * @throws RespException          for a malformed or oversized reply or a connection closed mid-reply
     * @throws IOException            for other socket failures
     */
    Reply call(String... args) throws IOException {
        ByteArrayOutputStream cmd = new ByteArrayOutputStream(64);
        writeAscii(cmd, "*" + args.length + "\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            writeAscii(cmd, "$" + b.length + "\r\n");
            cmd.write(b, 0, b.length);
            writeAscii(cmd, "\r\n");
        }
        // a few hundred bytes fit any socket send buffer, so this write never blocks on a silent peer
        out.write(cmd.toByteArray());
        out.flush();
        return read();
    }

    private static void writeAscii(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        o.write(b, 0, b.length);
    }

    Reply read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new RespException(RespException.Kind.CLOSED, "closed the connection without answering");
        }
        return switch (type) {
            case '+' -> new Simple(line(Math.min(MAX_LINE, maxReplyBytes)));
            case '-' -> new ErrorReply(line(Math.min(MAX_LINE, maxReplyBytes)));
            case ':' -> new Int(integer(line(MAX_NUMBER)));
            case '$' -> bulk();
            default ->
                throw new RespException(
                        RespException.Kind.MALFORMED, "expected a RESP reply, got " + describeByte(type));
        };
    }

    private Bulk bulk() throws IOException {
        String lengthText = line(MAX_NUMBER);
        if ("-1".equals(lengthText)) {
            return new Bulk(null);
        }
        long length = integer(lengthText);
        if (length < 0) {
            throw new RespException(RespException.Kind.MALFORMED, "negative bulk string length " + length);
        }
        if (length > maxReplyBytes) {
            throw new RespException(
                    RespException.Kind.TOO_LARGE,
                    "announced a " + length + "-byte reply, more than the limit of " + maxReplyBytes + " bytes");
        }
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new RespException(RespException.Kind.CLOSED, "closed the connection in the middle of a reply");
        }
        if (next() != '\r' || next() != '\n') {
            throw new RespException(RespException.Kind.MALFORMED, "bulk string not terminated by CRLF");
        }
        return new Bulk(bytes);
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new RespException(RespException.Kind.CLOSED, "closed the connection in the middle of a reply");
        }
        return b;
    }

    private String line(int limit) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        while (true) {
            int b = next();
            if (b == '\r') {
                if (next() != '\n') {
                    throw new RespException(RespException.Kind.MALFORMED, "CR not followed by LF");
                }
                return buf.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                throw new RespException(RespException.Kind.MALFORMED, "line ended by LF without CR");
            }
            if (buf.size() >= limit) {
                throw new RespException(
                        limit == MAX_NUMBER ? RespException.Kind.MALFORMED : RespException.Kind.TOO_LARGE,
                        "reply line longer than " + limit + " bytes");
            }
            buf.write(b);
        }
    }

    private static long integer(String text) throws RespException {
        int start = text.startsWith("-") ? 1 : 0;
        if (text.length() == start || text.length() > 19) {
            throw new RespException(RespException.Kind.MALFORMED, "not an integer in reply");
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new RespException(RespException.Kind.MALFORMED, "not an integer in reply");
            }
        }
        return Long.parseLong(text);
    }

    private static String describeByte(int b) {
        return b >= 0x21 && b < 0x7f ? String.format("'%c' (0x%02x)", (char) b, b) : String.format("byte 0x%02x", b);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Sets the socket timeout to the time left before each read, so a trickling peer cannot stretch the deadline. */
    private final class DeadlineInput extends InputStream {
        private final InputStream raw;

        DeadlineInput(InputStream raw) {
            this.raw = raw;
        }

        private void arm() throws IOException {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left))));
        }

        @Override
        public int read() throws IOException {
            arm();
            return raw.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            arm();
            return raw.read(b, off, len);
        }
    }
}
