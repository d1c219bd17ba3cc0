package io.vigil.health.mail;

import io.vigil.health.Secrets;
import io.vigil.health.Status;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.jspecify.annotations.Nullable;

/**
 * TLS for the check: the handshake records what the trust store and the host name say about the server's chain
 * instead of failing, so that the check can then say precisely what is wrong (expired, not yet valid, wrong host,
 * untrusted) rather than "handshake failed"; nothing but {@code QUIT} is sent over a connection it did not accept,
 * and credentials never are. One per check; thread-safe.
 */
final class ServerTrust {
    /** The judgement of a chain, with what it found already in {@code data}. */
    record Verdict(Status status, String message) {}

    private enum Failure {
        UNTRUSTED,
        WRONG_HOST
    }

    private record Recorded(Failure kind, CertificateException error) {}

    private final X509ExtendedTrustManager trust;
    private final SSLContext context;
    private final Map<Socket, Recorded> failures =
            new ConcurrentHashMap<>(); // keyed by the SSLSocket, removed by judge

    ServerTrust(@Nullable KeyStore trustStore) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(trustStore);
            X509ExtendedTrustManager found = null;
            for (TrustManager m : f.getTrustManagers()) {
                if (m instanceof X509ExtendedTrustManager x) {
                    found = x;
                    break;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("no X.509 trust manager for the trust store");
            }
            trust = found;
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new Recording()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trust store unusable: " + Secrets.describe(e), e);
        }
    }

    /**
     * Layers TLS over a connected socket and completes the handshake within the deadline.
     *
     * @throws SocketTimeoutException if no time is left or the server does not answer in time
     */
    SSLSocket handshake(Socket raw, String serverName, int port, long deadline) throws IOException {
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, serverName, port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 2818/6125 name matching, as for HTTPS
        if (!isIpLiteral(serverName)) {
            params.setServerNames(List.of(new SNIHostName(serverName)));
        }
        tls.setSSLParameters(params);
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no time left for the TLS handshake");
        }
        tls.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
        try {
            tls.startHandshake();
        } catch (IOException | RuntimeException e) {
            failures.remove(tls);
            throw e;
        }
        return tls;
    }

    /**
     * Judges the chain of a completed handshake, first match wins: not yet valid, expired, not trusted, wrong host
     * (DOWN); expiring within {@code warnBefore} (DEGRADED); else UP. Puts {@code tlsProtocol}, and of the
     * certificate that expires first {@code subject}, {@code notAfter} and {@code daysLeft} into {@code data}.
     */
    Verdict judge(SSLSocket tls, String serverName, Instant now, Duration warnBefore, Map<String, Object> data)
            throws IOException {
        Recorded failure = failures.remove(tls);
        data.put("tlsProtocol", tls.getSession().getProtocol());
        List<X509Certificate> chain = new ArrayList<>();
        for (Certificate c : tls.getSession().getPeerCertificates()) {
            if (c instanceof X509Certificate x) {
                chain.add(x);
            }
        }
        if (chain.isEmpty()) {
            return new Verdict(Status.DOWN, "server presented no X.509 certificate");
        }
        for (X509Certificate c : chain) {
            if (now.isBefore(c.getNotBefore().toInstant())) {
                return new Verdict(
                        Status.DOWN,
                        "certificate " + subject(c) + " is not valid before "
                                + c.getNotBefore().toInstant());
            }
        }
        X509Certificate first = chain.get(0);
        for (X509Certificate c : chain) {
            if (c.getNotAfter().toInstant().isBefore(first.getNotAfter().toInstant())) {
                first = c;
            }
        }
        Instant notAfter = first.getNotAfter().toInstant();
        long daysLeft = Duration.between(now, notAfter).toDays();
        data.put("subject", subject(first));
        data.put("notAfter", notAfter.toString());
        data.put("daysLeft", daysLeft);
        if (!now.isBefore(notAfter)) {
            return new Verdict(
                    Status.DOWN,
                    "certificate " + subject(first) + " expired at " + notAfter + " (" + -daysLeft + " days ago)");
        }
        if (failure != null && failure.kind() == Failure.UNTRUSTED) {
            return new Verdict(
                    Status.DOWN,
                    "certificate chain of " + subject(chain.get(0)) + " is not trusted: " + distrust(failure.error()));
        }
        if (failure != null) {
            return new Verdict(
                    Status.DOWN, "certificate " + subject(chain.get(0)) + " does not match host " + serverName);
        }
        if (Duration.between(now, notAfter).compareTo(warnBefore) <= 0) {
            return new Verdict(
                    Status.DEGRADED,
                    "certificate " + subject(first) + " expires in " + daysLeft + " days, at " + notAfter);
        }
        return new Verdict(Status.UP, "certificate valid for " + daysLeft + " more days");
    }

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static String distrust(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CertPathBuilderException) {
                return "no path to a trusted root certificate";
            }
            if (t instanceof CertPathValidatorException v && v.getReason() != null) {
                return "path validation failed (" + v.getReason() + ")";
            }
        }
        return Secrets.describe(e);
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Runs the trust store's path validation, then its host name check (the socket's endpoint identification), and
     * records the first failure for {@link #judge} instead of aborting the handshake.
     */
    private final class Recording extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            try {
                trust.checkServerTrusted(chain, authType); // the path alone
            } catch (CertificateException e) {
                failures.put(socket, new Recorded(Failure.UNTRUSTED, e));
                return;
            }
            try {
                trust.checkServerTrusted(chain, authType, socket); // and the host name
            } catch (CertificateException e) {
                failures.put(socket, new Recorded(Failure.WRONG_HOST, e));
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("only handshakes over a socket are judged");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("only handshakes over a socket are judged");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
