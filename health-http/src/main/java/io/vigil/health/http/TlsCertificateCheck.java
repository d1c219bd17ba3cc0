package io.vigil.health.http;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * Checks a TLS server's certificate chain: connects, completes a handshake, reads the chain the server
 * presents and judges it itself, so that an expired certificate is reported as expired rather than as a
 * handshake failure.
 *
 * <pre>{@code
 * registry.register("idp-certificate", TlsCertificateCheck.builder("login.example.com", 443).build(),
 *         CheckPolicy.builder().timeout(Duration.ofSeconds(2)).cacheTtl(Duration.ofHours(1)).build());
 * }</pre>
 *
 * <p>Verdicts, first match wins: no handshake is DOWN; a certificate of the chain not yet valid is DOWN; the
 * earliest expiry in the chain passed is DOWN; a leaf that does not name the server name is DOWN; a chain not
 * trusted by the trust store (default: the JDK's) is DOWN; an expiry within the warn period (default 14 days,
 * inclusive) is DEGRADED; otherwise UP. Data: {@code host}, {@code port}, {@code protocol}, and of the
 * certificate that expires first (usually the leaf) {@code subject}, {@code issuer}, {@code notAfter} (ISO-8601)
 * and {@code daysLeft} (whole days, negative once expired). No client certificate is offered. Immutable and
 * thread-safe; kind {@link CheckKind#DEPENDENCY}.
 */
public final class TlsCertificateCheck implements HealthCheck {
    private final String host;
    private final int port;
    private final String serverName;
    private final @Nullable Duration cap; // null: the registration's timeout alone bounds the check
    private final Duration warnBefore;
    private final Clock clock;
    private final X509TrustManager trust;

    private TlsCertificateCheck(Builder b, X509TrustManager trust) {
        this.host = b.host;
        this.port = b.port;
        this.serverName = b.serverName == null ? b.host : b.serverName;
        this.cap = b.timeout;
        this.warnBefore = b.warnBefore;
        this.clock = b.clock;
        this.trust = trust;
    }

    /**
     * @param host host name or IP literal to connect to
     * @param port TLS port, 1–65535
     * @return a builder: server name = host, JDK trust store, warn 14 days, bounded by the registration's
     *         timeout, system clock
     * @throws IllegalArgumentException for a blank host or a port out of range
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DEPENDENCY;
    }

    /** Called directly (not by an engine): its I/O bounded by the {@link Builder#timeout(Duration) cap}, or 1 s. */
    @Override
    public CheckResult check() {
        return check(
                cap != null
                        ? CheckContext.direct(cap)
                        : CheckContext.within(CheckPolicy.defaults().timeout()));
    }

    @Override
    public CheckResult check(CheckContext context) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("host", host);
        data.put("port", port);
        String target = host + ":" + port;
        Duration timeout = cap != null ? context.ioTimeout(cap) : context.ioTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        X509Certificate[] chain;
        try (Socket raw = Network.connect(host, port, timeout);
                SSLSocket tls = handshake(raw, deadline)) {
            data.put("protocol", tls.getSession().getProtocol());
            chain = x509(tls.getSession().getPeerCertificates());
        } catch (Network.Unreachable e) {
            return result(Status.DOWN, e.getMessage(), data);
        } catch (SocketTimeoutException e) {
            return result(
                    Status.DOWN,
                    "TLS handshake with " + target + " timed out after " + timeout.toMillis() + " ms",
                    data);
        } catch (IOException e) {
            return result(Status.DOWN, "TLS handshake with " + target + " failed: " + Secrets.describe(e), data);
        }
        if (chain.length == 0) {
            return result(Status.DOWN, "server " + target + " presented no X.509 certificate", data);
        }
        return judge(chain, data);
    }

    private SSLSocket handshake(Socket raw, long deadline) throws IOException {
        SSLSocket tls = (SSLSocket) Reading.CONTEXT.getSocketFactory().createSocket(raw, serverName, port, true);
        if (!HostnameMatch.isIpLiteral(serverName)) {
            SSLParameters params = tls.getSSLParameters();
            params.setServerNames(List.of(new SNIHostName(serverName)));
            tls.setSSLParameters(params);
        }
        long left = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (left < 1) {
            throw new SocketTimeoutException("no time left for the handshake");
        }
        tls.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
        tls.startHandshake();
        return tls;
    }

    private CheckResult judge(X509Certificate[] chain, Map<String, Object> data) {
        Instant now = clock.instant();
        for (X509Certificate c : chain) {
            if (now.isBefore(c.getNotBefore().toInstant())) {
                describe(c, now, data);
                return result(
                        Status.DOWN,
                        "certificate " + subject(c) + " is not valid before "
                                + c.getNotBefore().toInstant(),
                        data);
            }
        }
        X509Certificate first = chain[0];
        for (X509Certificate c : chain) {
            if (c.getNotAfter().toInstant().isBefore(first.getNotAfter().toInstant())) {
                first = c;
            }
        }
        long daysLeft = describe(first, now, data);
        Instant notAfter = first.getNotAfter().toInstant();
        if (!now.isBefore(notAfter)) {
            return result(
                    Status.DOWN,
                    "certificate " + subject(first) + " expired at " + notAfter + " (" + -daysLeft + " days ago)",
                    data);
        }
        String mismatch = hostnameMismatch(chain[0]);
        if (mismatch != null) {
            return result(Status.DOWN, mismatch, data);
        }
        try {
            trust.checkServerTrusted(chain, "UNKNOWN");
        } catch (CertificateException | RuntimeException e) {
            return result(
                    Status.DOWN, "certificate chain of " + subject(chain[0]) + " is not trusted: " + distrust(e), data);
        }
        if (Duration.between(now, notAfter).compareTo(warnBefore) <= 0) {
            return result(
                    Status.DEGRADED,
                    "certificate " + subject(first) + " expires in " + daysLeft + " days, at " + notAfter,
                    data);
        }
        return result(
                Status.UP,
                "certificate " + subject(first) + " valid for " + daysLeft + " more days, until " + notAfter,
                data);
    }

    private @Nullable String hostnameMismatch(X509Certificate leaf) {
        try {
            if (HostnameMatch.matches(leaf, serverName)) {
                return null;
            }
            List<String> names = HostnameMatch.names(leaf);
            List<String> shown = names.subList(0, Math.min(5, names.size()));
            return "certificate does not match host " + serverName + "; it names "
                    + (shown.isEmpty()
                            ? "no host"
                            : String.join(", ", shown) + (names.size() > shown.size() ? ", …" : ""));
        } catch (GeneralSecurityException e) {
            return "certificate names cannot be read: " + Secrets.describe(e);
        }
    }

    private static long describe(X509Certificate c, Instant now, Map<String, Object> data) {
        long daysLeft = Duration.between(now, c.getNotAfter().toInstant()).toDays();
        data.put("subject", c.getSubjectX500Principal().getName());
        data.put("issuer", c.getIssuerX500Principal().getName());
        data.put("notAfter", c.getNotAfter().toInstant().toString());
        data.put("daysLeft", daysLeft);
        return daysLeft;
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

    private static String subject(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static X509Certificate[] x509(Certificate[] certs) {
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : certs) {
            if (c instanceof X509Certificate x) {
                out.add(x);
            }
        }
        return out.toArray(new X509Certificate[0]);
    }

    private static CheckResult result(Status status, @Nullable String message, Map<String, Object> data) {
        return CheckResult.of(status, message).withData(data);
    }

    @Override
    public String toString() {
        return "TlsCertificateCheck[" + host + ":" + port + "]";
    }

    /**
     * The client side used only to read what a server presents: it accepts any chain during the handshake (the
     * check judges the chain afterwards) and never sends application data.
     */
    private static final class Reading extends X509ExtendedTrustManager {
        static final SSLContext CONTEXT = context();

        private static SSLContext context() {
            try {
                SSLContext c = SSLContext.getInstance("TLS");
                c.init(null, new TrustManager[] {new Reading()}, null);
                return c;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JDK offers no TLS", e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // judged after the handshake
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            // judged after the handshake
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            // judged after the handshake
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

    /** Builds a {@link TlsCertificateCheck}. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private @Nullable String serverName;
        private @Nullable KeyStore trustStore;
        private Duration warnBefore = Duration.ofDays(14);
        private @Nullable Duration timeout;
        private Clock clock = Clock.systemUTC();

        Builder(String host, int port) {
            Args.requireEndpoint(host, port);
            this.host = host;
            this.port = port;
        }

        /**
         * @param value the name sent as SNI and matched against the certificate (default: the host)
         * @return this builder
         */
        public Builder serverName(String value) {
            Require.notBlank(value, "serverName");
            serverName = value;
            return this;
        }

        /**
         * @param value certificates to trust instead of the JDK's default trust store (e.g. a private CA, or a
         *              self-signed server certificate)
         * @return this builder
         */
        public Builder trustStore(KeyStore value) {
            trustStore = Objects.requireNonNull(value, "trustStore");
            return this;
        }

        /**
         * @param value DEGRADED when the earliest expiry is this close or closer (default 14 days); zero disables
         *              the warning
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder warnBefore(Duration value) {
            warnBefore = Require.notNegative(value, "warnBefore");
            return this;
        }

        /**
         * @param value upper bound on connect and handshake together; without it (the default) the registration's
         *              timeout less a reserve for reporting, so a handshake timeout is the check's own message
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration value) {
            timeout = Require.positive(value, "timeout");
            return this;
        }

        /**
         * @param value the time validity and days left are computed against (default the system UTC clock)
         * @return this builder
         */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * @return the check
         * @throws IllegalArgumentException if the trust store cannot be used
         */
        public TlsCertificateCheck build() {
            try {
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init(trustStore);
                for (TrustManager m : f.getTrustManagers()) {
                    if (m instanceof X509TrustManager x) {
                        return new TlsCertificateCheck(this, x);
                    }
                }
                throw new IllegalArgumentException("no X.509 trust manager for the trust store");
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("trust store unusable: " + Secrets.describe(e), e);
            }
        }
    }
}
