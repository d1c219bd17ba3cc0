package io.vigil.health.mail;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Checks an SMTP relay the way mail would go through it, without sending any: connect, greeting ({@code 220}),
 * {@code EHLO}, {@code STARTTLS} and a new {@code EHLO} (or TLS from the start, port 465), the server certificate
 * judged, {@code AUTH} with the configured credentials when there are any (the first thing to look at when a
 * password has expired), {@code NOOP}, {@code QUIT}.
 *
 * <pre>{@code
 * registry.register("mail-relay", SmtpCheck.builder("smtp.example.com", 587)
 *                 .security(SmtpSecurity.STARTTLS_REQUIRED)
 *                 .credentials("apikey", System.getenv("SMTP_PASSWORD"))
 *                 .build(),
 *         CheckPolicy.builder().timeout(Duration.ofSeconds(5)).cacheTtl(Duration.ofMinutes(1)).build());
 * }</pre>
 *
 * <p>Verdicts: a step that fails is DOWN, and the message names the reply and the step, e.g.
 * {@code 535 5.7.8 authentication failed at AUTH} or {@code no reply from smtp.example.com:587 within 4800 ms at
 * GREETING}. The certificate is judged right after the handshake and before anything else is sent: not yet valid,
 * expired, not trusted by the trust store (default: the JDK's) or not naming the server name is DOWN; expiring
 * within the warn period (default 14 days) is DEGRADED. Credentials are only sent over TLS (unless the security is
 * {@link SmtpSecurity#NONE}) and never appear in a message, a data entry or a log line: the server's replies are
 * scrubbed of them. Data: {@code host}, {@code port}, {@code security}, {@code tls} ({@code STARTTLS},
 * {@code IMPLICIT} or {@code none}), and when TLS was used {@code tlsProtocol}, {@code subject}, {@code notAfter},
 * {@code daysLeft} of the certificate that expires first; {@code authenticated}; on failure {@code step} and, when
 * the server answered, {@code replyCode}.
 *
 * <p>Every step is bounded by one deadline, the registration's timeout less a reserve for reporting (or the
 * {@link Builder#timeout(Duration) cap}): the check's own diagnosis arrives before the engine's generic timeout.
 * One connection per execution, closed before the check returns. Immutable and thread-safe; kind
 * {@link CheckKind#DEPENDENCY}.
 */
public final class SmtpCheck implements HealthCheck {
    /** The steps of a check, named in failure messages ({@code … at AUTH}) and in the {@code step} data entry. */
    enum Step {
        CONNECT,
        TLS,
        GREETING,
        EHLO,
        STARTTLS,
        AUTH,
        NOOP
    }

    private static final int MAX_SHOWN = 200;

    private final String host;
    private final int port;
    private final String serverName;
    private final SmtpSecurity security;
    private final @Nullable String username;
    private final @Nullable String password;
    private final SmtpAuthMechanism mechanism;
    private final @Nullable Duration cap; // null: the registration's timeout alone bounds the check
    private final Duration warnBefore;
    private final Clock clock;
    private final ServerTrust trust;

    private SmtpCheck(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.serverName = b.serverName == null ? b.host : b.serverName;
        this.security = b.security != null
                ? b.security
                : b.port == 465 ? SmtpSecurity.IMPLICIT_TLS : SmtpSecurity.STARTTLS_WHEN_OFFERED;
        this.username = b.username;
        this.password = b.password;
        this.mechanism = b.mechanism;
        this.cap = b.timeout;
        this.warnBefore = b.warnBefore;
        this.clock = b.clock;
        this.trust = new ServerTrust(b.trustStore);
    }

    /**
     * @param host host name or IP literal of the SMTP server
     * @param port its port, 1–65535 (25, 587, or 465 for implicit TLS)
     * @return a builder: implicit TLS on port 465, else STARTTLS when offered; no credentials; JDK trust store;
     *         warn 14 days before the certificate expires; bounded by the registration's timeout; system clock
     * @throws IllegalArgumentException for a blank host or a port out of range
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DEPENDENCY;
    }

    /** Called directly (not by an engine): bounded by the {@link Builder#timeout(Duration) cap}, or 1 s. */
    @Override
    public CheckResult check() {
        return check(
                cap != null
                        ? CheckContext.direct(cap)
                        : CheckContext.within(CheckPolicy.defaults().timeout()));
    }

    @Override
    public CheckResult check(CheckContext context) {
        Duration timeout = cap != null ? context.ioTimeout(cap) : context.ioTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("host", host);
        data.put("port", port);
        data.put("security", security.name());
        data.put("tls", "none");
        Exchange x = new Exchange(deadline, data);
        try {
            return x.run();
        } catch (Refused r) {
            return x.down(Objects.requireNonNullElse(r.getMessage(), "refused"));
        } catch (SocketTimeoutException e) {
            return x.down(
                    x.step == Step.CONNECT
                            ? "connect to " + target() + " timed out after " + timeout.toMillis() + " ms"
                            : "no reply from " + target() + " within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return x.down(describe(e));
        } finally {
            x.close();
        }
    }

    private String describe(IOException e) {
        if (e instanceof UnknownHostException) {
            return "DNS lookup failed: cannot resolve host " + host;
        }
        if (e instanceof ConnectException) {
            return "connection refused by " + target();
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to " + target();
        }
        if (e instanceof EOFException) {
            return "connection closed by " + target();
        }
        if (e instanceof SmtpProtocolException) {
            return "protocol error from " + target() + ": " + e.getMessage();
        }
        if (e instanceof SSLException) {
            return "TLS handshake with " + target() + " failed: " + scrub(Secrets.describe(e));
        }
        return "I/O error with " + target() + ": " + scrub(Secrets.describe(e));
    }

    private String target() {
        return host + ":" + port;
    }

    /** One execution: its connection, its step, its data. */
    private final class Exchange {
        private final long deadline;
        private final Map<String, Object> data;
        private final List<String> sent = new ArrayList<>(); // secrets as they went over the wire, for scrubbing
        private Step step = Step.CONNECT;
        private @Nullable Socket raw;
        private @Nullable SSLSocket tls;
        private @Nullable SmtpSession session;
        private ServerTrust.@Nullable Verdict verdict;

        Exchange(long deadline, Map<String, Object> data) {
            this.deadline = deadline;
            this.data = data;
        }

        CheckResult run() throws IOException {
            Socket raw = connect();
            if (security == SmtpSecurity.IMPLICIT_TLS) {
                step = Step.TLS;
                SSLSocket t = trust.handshake(raw, serverName, port, deadline);
                tls = t;
                data.put("tls", "IMPLICIT");
                ServerTrust.Verdict v = judge(t);
                if (v.status() == Status.DOWN) {
                    return down(v.message());
                }
            }
            SmtpSession session = new SmtpSession(tls != null ? tls : raw, deadline);
            this.session = session;
            step = Step.GREETING;
            expect(session.read(), 2);
            step = Step.EHLO;
            List<String> extensions = ehlo();
            if (tls == null && security != SmtpSecurity.NONE) {
                if (extensions.contains("STARTTLS")) {
                    step = Step.STARTTLS;
                    expect(session.command("STARTTLS"), 2);
                    SSLSocket t = trust.handshake(raw(), serverName, port, deadline);
                    tls = t;
                    session().upgrade(t);
                    data.put("tls", "STARTTLS");
                    ServerTrust.Verdict v = judge(t);
                    if (v.status() == Status.DOWN) {
                        return down(v.message());
                    }
                    step = Step.EHLO;
                    extensions = ehlo();
                } else if (security == SmtpSecurity.STARTTLS_REQUIRED) {
                    throw new Refused("server " + target() + " does not offer STARTTLS");
                } else if (username != null) {
                    throw new Refused("server " + target() + " does not offer STARTTLS; credentials are never sent"
                            + " in clear text unless the security is NONE");
                }
            }
            if (username != null) {
                step = Step.AUTH;
                authenticate(extensions, username, Objects.requireNonNull(password, "credentials(..) sets both"));
                data.put("authenticated", true);
            }
            step = Step.NOOP;
            expect(session.command("NOOP"), 2);
            quit();
            StringBuilder m = new StringBuilder("SMTP server ").append(target()).append(" ready");
            if (tls != null) {
                m.append(", ").append(data.get("tls")).append(' ').append(data.get("tlsProtocol"));
            }
            if (username != null) {
                m.append(", AUTH ").append(mechanism).append(" accepted");
            }
            if (verdict == null) {
                return CheckResult.of(Status.UP, m.toString()).withData(data);
            }
            if (verdict.status() == Status.DEGRADED) {
                return CheckResult.of(Status.DEGRADED, verdict.message() + "; " + m)
                        .withData(data);
            }
            return CheckResult.of(Status.UP, m + ", " + verdict.message()).withData(data);
        }

        private Socket connect() throws IOException {
            InetAddress address = InetAddress.getByName(host);
            Socket s = new Socket();
            raw = s;
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no time left to connect");
            }
            s.connect(new InetSocketAddress(address, port), (int)
                    Math.max(1, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000)));
            return s;
        }

        private ServerTrust.Verdict judge(SSLSocket t) throws IOException {
            ServerTrust.Verdict v = trust.judge(t, serverName, clock.instant(), warnBefore, data);
            verdict = v;
            return v;
        }

        private SmtpSession session() {
            return Objects.requireNonNull(session, "opened by run() before any command");
        }

        private Socket raw() {
            return Objects.requireNonNull(raw, "connected by run() first");
        }

        private List<String> ehlo() throws IOException {
            SmtpReply reply = expect(session().command("EHLO " + addressLiteral(raw().getLocalAddress())), 2);
            List<String> keywords = new ArrayList<>();
            for (String l : reply.lines().subList(1, reply.lines().size())) {
                keywords.add(l.toUpperCase(Locale.ROOT));
            }
            List<String> names = new ArrayList<>();
            for (String k : keywords) {
                names.add(k.split("[ =]", 2)[0]);
            }
            names.addAll(authMechanisms(keywords));
            return names;
        }

        /** @return {@code AUTH:PLAIN}, {@code AUTH:LOGIN}, … from {@code AUTH PLAIN LOGIN} or {@code AUTH=PLAIN} */
        private List<String> authMechanisms(List<String> keywords) {
            List<String> out = new ArrayList<>();
            for (String k : keywords) {
                if (k.startsWith("AUTH ") || k.startsWith("AUTH=")) {
                    for (String m : k.substring(5).trim().split(" +", -1)) {
                        out.add("AUTH:" + m);
                    }
                }
            }
            return out;
        }

        private void authenticate(List<String> extensions, String username, String password) throws IOException {
            if (!extensions.contains("AUTH:" + mechanism.name())) {
                List<String> offered = new ArrayList<>();
                for (String e : extensions) {
                    if (e.startsWith("AUTH:")) {
                        offered.add(e.substring(5));
                    }
                }
                throw new Refused("server " + target() + " does not offer AUTH " + mechanism + " (it offers "
                        + (offered.isEmpty() ? "no AUTH" : String.join(" ", offered)) + ")");
            }
            switch (mechanism) {
                case PLAIN -> {
                    String response = secret("\0" + username + "\0" + password);
                    SmtpReply r = session().command("AUTH PLAIN " + response);
                    if (r.code() == 334) {
                        r = session().command(response);
                    }
                    expect(r, 2);
                }
                case LOGIN -> {
                    expect(session().command("AUTH LOGIN"), 3);
                    expect(session().command(secret(username)), 3);
                    expect(session().command(secret(password)), 2);
                }
                default -> throw new IllegalStateException("unknown mechanism " + mechanism);
            }
        }

        private String secret(String value) {
            String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
            sent.add(encoded);
            return encoded;
        }

        private SmtpReply expect(SmtpReply reply, int digit) throws Refused {
            if (!reply.is(digit)) {
                data.put("replyCode", reply.code());
                throw new Refused(printable(reply.text()));
            }
            return reply;
        }

        /** Best effort: a server that does not answer {@code QUIT} has still answered everything that matters. */
        private void quit() {
            try {
                session().command("QUIT");
            } catch (IOException ignored) {
                // the connection is closed either way
            }
        }

        CheckResult down(String message) {
            data.put("step", step.name());
            String text = scrub(message, sent);
            return CheckResult.of(Status.DOWN, text + " at " + step).withData(data);
        }

        void close() {
            // the plain socket first: closing TLS first would try to send close_notify to a silent peer
            closeQuietly(raw);
            closeQuietly(tls);
        }
    }

    private String scrub(String text) {
        return scrub(text, List.of());
    }

    /** Removes anything that could be a credential, as sent or as given, then the usual secret patterns. */
    private String scrub(String text, List<String> sent) {
        String s = text;
        for (String secret : sent) {
            s = s.replace(secret, "***");
        }
        if (password != null && !password.isEmpty()) {
            s = s.replace(password, "***");
        }
        if (username != null && !username.isEmpty()) {
            s = s.replace(username, "***");
        }
        s = Secrets.redact(s);
        return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "…" : s;
    }

    /** @return the text with control characters replaced, at most a few hundred characters */
    static String printable(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), MAX_SHOWN + 1));
        for (int i = 0; i < text.length() && b.length() <= MAX_SHOWN; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    private static String addressLiteral(InetAddress local) {
        if (local instanceof Inet6Address) {
            String a = local.getHostAddress();
            int scope = a.indexOf('%');
            return "[IPv6:" + (scope >= 0 ? a.substring(0, scope) : a) + "]";
        }
        return "[" + local.getHostAddress() + "]";
    }

    private static void closeQuietly(@Nullable Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    @Override
    public String toString() {
        return "SmtpCheck[" + host + ":" + port + ", " + security + (username != null ? ", AUTH " + mechanism : "")
                + "]";
    }

    /** A reply or a missing capability that ends the check; its message is already printable. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** Builds an {@link SmtpCheck}. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private @Nullable String serverName;
        private @Nullable SmtpSecurity security;
        private @Nullable String username;
        private @Nullable String password;
        private SmtpAuthMechanism mechanism = SmtpAuthMechanism.PLAIN;
        private @Nullable KeyStore trustStore;
        private Duration warnBefore = Duration.ofDays(14);
        private @Nullable Duration timeout;
        private Clock clock = Clock.systemUTC();

        Builder(String host, int port) {
            Require.notBlank(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1-65535, was " + port);
            }
            this.host = host;
            this.port = port;
        }

        /**
         * @param value how the connection is protected (default: {@link SmtpSecurity#IMPLICIT_TLS} on port 465,
         *              else {@link SmtpSecurity#STARTTLS_WHEN_OFFERED})
         * @return this builder
         */
        public Builder security(SmtpSecurity value) {
            security = Objects.requireNonNull(value, "security");
            return this;
        }

        /**
         * Proves these credentials with {@code AUTH} on every check; they are sent only over TLS unless the
         * security is {@link SmtpSecurity#NONE}, and never shown.
         *
         * @param user     the user name (an API key's name for most cloud mail services)
         * @param password the password or API key
         * @return this builder
         * @throws IllegalArgumentException if the user is blank
         * @throws NullPointerException     if the password is null
         */
        public Builder credentials(String user, String password) {
            Require.notBlank(user, "user");
            this.username = user;
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * @param value the SASL mechanism for {@code AUTH} (default {@link SmtpAuthMechanism#PLAIN}); the server
         *              must offer it
         * @return this builder
         */
        public Builder mechanism(SmtpAuthMechanism value) {
            mechanism = Objects.requireNonNull(value, "mechanism");
            return this;
        }

        /**
         * @param value the name sent as SNI and matched against the certificate (default: the host)
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder serverName(String value) {
            serverName = Require.notBlank(value, "serverName");
            return this;
        }

        /**
         * @param value certificates to trust instead of the JDK's default trust store (a private CA, a
         *              self-signed relay)
         * @return this builder
         */
        public Builder trustStore(KeyStore value) {
            trustStore = Objects.requireNonNull(value, "trustStore");
            return this;
        }

        /**
         * @param value DEGRADED when the certificate expires this soon or sooner (default 14 days); zero disables
         *              the warning
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder warnBefore(Duration value) {
            warnBefore = Require.notNegative(value, "warnBefore");
            return this;
        }

        /**
         * @param value upper bound on all steps together; without it (the default) the registration's timeout less
         *              a reserve for reporting
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder timeout(Duration value) {
            timeout = Require.positive(value, "timeout");
            return this;
        }

        /**
         * @param value the clock certificate validity is judged against (default the system UTC clock)
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
        public SmtpCheck build() {
            return new SmtpCheck(this);
        }
    }
}
