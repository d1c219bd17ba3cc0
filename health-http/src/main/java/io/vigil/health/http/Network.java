package io.vigil.health.http;

import io.vigil.health.Secrets;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Connecting and naming network failures, shared by the checks of this package. */
final class Network {
    private Network() {}

    /** A failure to reach host:port, already put into words. */
    static final class Unreachable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Resolves the host and connects to its addresses in turn until one accepts, all within the timeout.
     *
     * @return the connected socket
     * @throws Unreachable with a message naming DNS failure, refusal or timeout
     */
    static Socket connect(String host, int port, Duration timeout) throws Unreachable {
        long deadline = System.nanoTime() + timeout.toNanos();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Unreachable("DNS lookup failed: cannot resolve host " + host, e);
        }
        IOException last = null;
        InetAddress lastAddress = addresses[0];
        for (InetAddress a : addresses) {
            long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
            if (left < 1) {
                break;
            }
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, port), (int) Math.min(left, Integer.MAX_VALUE));
                return s;
            } catch (IOException e) {
                closeQuietly(s);
                last = e;
                lastAddress = a;
            }
        }
        String target = host + ":" + port;
        if (last == null || last instanceof SocketTimeoutException) {
            throw new Unreachable("connect to " + target + " timed out after " + timeout.toMillis() + " ms", last);
        }
        String ip = lastAddress.getHostAddress();
        throw new Unreachable(describe(last, host, ip.equals(host) ? target : target + " (" + ip + ")"), last);
    }

    /**
     * Names a connection-level failure in a short sentence, looking through the causes for the telling one.
     *
     * @param error  the failure
     * @param host   the host name as configured
     * @param target {@code host:port}, never containing credentials
     */
    static String describe(Throwable error, String host, String target) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "DNS lookup failed: cannot resolve host " + host;
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NoRouteToHostException) {
                return "no route to " + target;
            }
            if (t instanceof ConnectException) {
                String m = t.getMessage();
                return m == null
                                || m.isBlank()
                                || m.toLowerCase(java.util.Locale.ROOT).contains("refused")
                        ? "connection refused by " + target
                        : "cannot connect to " + target + ": " + Secrets.redact(m);
            }
        }
        return "cannot reach " + target + ": " + Secrets.describe(error);
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do with a socket that failed
        }
    }
}
