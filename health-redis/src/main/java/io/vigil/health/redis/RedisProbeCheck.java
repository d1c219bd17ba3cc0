package io.vigil.health.redis;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * Checks a Redis server without any client library: opens a socket (TLS for {@code rediss://}), sends
 * {@code AUTH} when credentials are configured, {@code SELECT} for a database other than 0, {@code PING},
 * {@code INFO server}, {@code INFO replication} and, in cluster mode, {@code CLUSTER INFO}, then closes.
 *
 * <ul>
 *   <li>UP: PING answered {@code PONG}. Data: {@code host}, {@code port}, {@code database}, {@code tls},
 *       {@code roundTripMs}, {@code version}, {@code mode}, {@code role} ({@code master} or {@code replica}),
 *       {@code connectedReplicas} on a master; {@code masterHost}, {@code masterPort}, {@code masterLinkStatus}
 *       on a replica; {@code clusterState}, {@code clusterKnownNodes} in cluster mode.</li>
 *   <li>A replica whose link to its master is down: {@link Builder#replicaLinkDown(Status)} (default DEGRADED),
 *       with {@code masterLinkDownSeconds}.</li>
 *   <li>DOWN: connection refused or timed out, TLS failure, an error reply ({@code NOAUTH}, {@code WRONGPASS},
 *       {@code LOADING}, {@code MASTERDOWN}, ... named in the message), a cluster state other than {@code ok},
 *       and any malformed, truncated or oversized reply. The check never throws and never waits past its
 *       time the engine gives it (at most the optional {@link Builder#timeout(Duration) cap}), except for a DNS lookup, which the JDK does not bound.</li>
 * </ul>
 * A user without permission for {@code INFO} still gets UP from PING, without version and role. The password is
 * sent only in {@code AUTH}: it is never part of a message, data, log line or {@link #toString()}.
 * Immutable and thread-safe; each call opens its own connection.
 *
 * <pre>{@code
 * health.register("redis", RedisProbeCheck.of("rediss://:" + password + "@cache.internal:6380/2"));
 * }</pre>
 */
public final class RedisProbeCheck implements HealthCheck {
    /** Default bound of the TCP connect. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofMillis(500);
    /** Default limit of one reply, in bytes. */
    public static final int DEFAULT_MAX_REPLY_BYTES = 64 * 1024;

    private final RedisUri target;
    private final @Nullable Duration cap; // null: the registration's timeout alone bounds the check
    private final Duration connectTimeout;
    private final int maxReplyBytes;
    private final Status replicaLinkDown;
    private final @Nullable SSLContext sslContext;
    private final boolean verifyHostname;
    private final Map<String, Object> where;

    private RedisProbeCheck(Builder b) {
        this.target = b.target;
        this.cap = b.timeout;
        this.connectTimeout = b.connectTimeout;
        this.maxReplyBytes = b.maxReplyBytes;
        this.replicaLinkDown = b.replicaLinkDown;
        this.sslContext = b.sslContext;
        this.verifyHostname = b.verifyHostname;
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("host", target.host);
        w.put("port", target.port);
        w.put("database", target.database);
        w.put("tls", target.tls);
        this.where = Map.copyOf(w);
    }

    /**
     * @param uri {@code redis[s]://[[user]:password@]host[:port][/db]}; user-info percent-encoded
     * @return a probe with the defaults
     * @throws IllegalArgumentException if the URI is malformed (the message never repeats the URI)
     */
    public static RedisProbeCheck of(String uri) {
        return builder(uri).build();
    }

    /**
     * @param uri {@code redis[s]://[[user]:password@]host[:port][/db]}; user-info percent-encoded; without a colon
     *            the user-info is the password
     * @return a builder: bounded by the registration's timeout, connect timeout 500 ms, replies up to 64 KiB, replica link down
     *         DEGRADED, the JDK's default {@link SSLContext}, host name verification on
     * @throws IllegalArgumentException if the URI is malformed (the message never repeats the URI)
     */
    public static Builder builder(String uri) {
        return new Builder(RedisUri.parse(uri));
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DATASTORE;
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
        Duration budget = cap != null ? context.ioTimeout(cap) : context.ioTimeout();
        long deadline = System.nanoTime() + budget.toNanos();
        String step = "connect";
        try (Socket socket = open(deadline);
                RespConnection redis = new RespConnection(socket, deadline, maxReplyBytes)) {
            if (target.password != null) {
                step = "AUTH";
                expectOk(
                        step,
                        target.username == null
                                ? redis.call("AUTH", target.password)
                                : redis.call("AUTH", target.username, target.password));
            }
            if (target.database != 0) {
                step = "SELECT";
                expectOk(step, redis.call("SELECT", Integer.toString(target.database)));
            }
            step = "PING";
            long start = System.nanoTime();
            RespConnection.Reply pong = redis.call("PING");
            long rtt = System.nanoTime() - start;
            if (!(pong instanceof RespConnection.Simple s && "PONG".equals(s.text()))) {
                throw unexpected(step, pong);
            }
            Map<String, String> info = new HashMap<>();
            step = "INFO";
            info.putAll(info(redis, "INFO", "server"));
            info.putAll(info(redis, "INFO", "replication"));
            if ("cluster".equals(info.get("redis_mode"))) {
                step = "CLUSTER INFO";
                info.putAll(info(redis, "CLUSTER", "INFO"));
            }
            return RedisResults.answered(rtt, info, replicaLinkDown, where);
        } catch (ErrorReply e) {
            return RedisResults.down(RedisResults.describeError(e.text, target.password), where, null);
        } catch (RespException e) {
            String what = switch (e.kind()) {
                case MALFORMED -> "malformed reply to " + step + " from " + target.address() + ": ";
                case TOO_LARGE -> "oversized reply to " + step + " from " + target.address() + ": ";
                case CLOSED -> target.address() + " ";
            };
            return RedisResults.down(
                    what + e.getMessage() + (e.kind() == RespException.Kind.CLOSED ? " (" + step + ")" : ""), where, e);
        } catch (HandshakeTimeout e) {
            return RedisResults.down(
                    "no answer to the TLS handshake from " + target.address() + " within " + budget.toMillis() + " ms",
                    where,
                    e);
        } catch (SocketTimeoutException e) {
            String message = "connect".equals(step)
                    ? "could not connect to " + target.address() + " within " + connectMillis(budget) + " ms"
                    : "no answer to " + step + " from " + target.address() + " within " + budget.toMillis() + " ms";
            return RedisResults.down(message, where, e);
        } catch (UnknownHostException e) {
            return RedisResults.down("unknown host " + RedisResults.clean(target.host, null), where, e);
        } catch (ConnectException e) {
            return RedisResults.down(
                    "cannot connect to " + target.address() + ": "
                            + RedisResults.clean(e.getMessage(), target.password),
                    where,
                    e);
        } catch (SSLException e) {
            return RedisResults.down(
                    "TLS with " + target.address() + " failed: "
                            + RedisResults.clean(Secrets.describe(e), target.password),
                    where,
                    e);
        } catch (IOException | RuntimeException e) {
            return RedisResults.down(
                    step + " with " + target.address() + " failed: "
                            + RedisResults.clean(Secrets.describe(e), target.password),
                    where,
                    e);
        }
    }

    private long connectMillis(Duration budget) {
        return Math.min(connectTimeout.toMillis(), budget.toMillis());
    }

    private Socket open(long deadline) throws IOException {
        Socket raw = new Socket();
        try {
            raw.setTcpNoDelay(true);
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            int connectMs = (int) Math.max(1, Math.min(connectTimeout.toMillis(), left));
            raw.connect(new InetSocketAddress(target.host, target.port), connectMs);
            if (!target.tls) {
                return raw;
            }
            SSLContext ssl = Objects.requireNonNull(sslContext, "build() gives a TLS target an SSL context");
            SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(raw, target.host, target.port, true);
            if (verifyHostname) {
                SSLParameters p = tls.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(p);
            }
            long handshakeLeft = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (handshakeLeft <= 0) {
                throw new SocketTimeoutException("no time left for the TLS handshake");
            }
            tls.setSoTimeout((int) handshakeLeft);
            try {
                tls.startHandshake();
            } catch (SocketTimeoutException e) {
                throw new HandshakeTimeout(e);
            }
            return tls;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private Map<String, String> info(RespConnection redis, String... command) throws IOException {
        RespConnection.Reply reply = redis.call(command);
        if (reply instanceof RespConnection.ErrorReply err && RedisResults.isNoPermission(err.text())) {
            return Map.of();
        }
        if (reply instanceof RespConnection.Bulk bulk && bulk.bytes() != null) {
            return RedisResults.parseInfo(bulk.text());
        }
        throw unexpected(String.join(" ", command), reply);
    }

    private static void expectOk(String step, RespConnection.Reply reply) throws IOException {
        if (!(reply instanceof RespConnection.Simple s && "OK".equals(s.text()))) {
            throw unexpected(step, reply);
        }
    }

    private static IOException unexpected(String step, RespConnection.Reply reply) {
        if (reply instanceof RespConnection.ErrorReply e) {
            return new ErrorReply(e.text());
        }
        String got;
        if (reply instanceof RespConnection.Simple) {
            got = "a status reply";
        } else if (reply instanceof RespConnection.Int) {
            got = "an integer reply";
        } else {
            got = ((RespConnection.Bulk) reply).bytes() == null ? "a nil reply" : "a bulk reply";
        }
        return new RespException(RespException.Kind.MALFORMED, got + " where " + step + " expects another");
    }

    /** @return the target without credentials, e.g. {@code RedisProbeCheck[rediss://cache:6380/2]} */
    @Override
    public String toString() {
        return "RedisProbeCheck[" + target + "]";
    }

    /** The TLS handshake did not finish in time. */
    private static final class HandshakeTimeout extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        HandshakeTimeout(SocketTimeoutException cause) {
            super("TLS handshake timed out");
            initCause(cause);
        }
    }

    /** An error reply; carries the server's text, which is cleaned before it reaches a message. */
    private static final class ErrorReply extends IOException {
        private static final long serialVersionUID = 1L;
        private final transient String text;

        ErrorReply(String text) {
            super("error reply");
            this.text = text;
        }
    }

    /** Configures a {@link RedisProbeCheck}. Not thread-safe. */
    public static final class Builder {
        private RedisUri target;
        private @Nullable Duration timeout;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private int maxReplyBytes = DEFAULT_MAX_REPLY_BYTES;
        private Status replicaLinkDown = Status.DEGRADED;
        private @Nullable SSLContext sslContext;
        private boolean verifyHostname = true;

        Builder(RedisUri target) {
            this.target = target;
        }

        /**
         * Sets or replaces the credentials of the URI, for passwords kept out of URIs. Sends
         * {@code AUTH username password} (Redis 6 ACL user).
         *
         * @param username ACL user
         * @param password its password
         * @return this builder
         */
        public Builder credentials(String username, String password) {
            target = target.withCredentials(
                    Objects.requireNonNull(username, "username"), Objects.requireNonNull(password, "password"));
            return this;
        }

        /**
         * Sets or replaces the password of the URI; sends {@code AUTH password} ({@code requirepass}).
         *
         * @param password the password
         * @return this builder
         */
        public Builder password(String password) {
            target = target.withCredentials(null, Objects.requireNonNull(password, "password"));
            return this;
        }

        /**
         * @param value logical database to {@code SELECT}; overrides the URI's path
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder database(int value) {
            target = target.withDatabase(Require.atLeast(value, 0, "database"));
            return this;
        }

        /**
         * Upper bound of one whole check (connect, TLS handshake, every command); without it (the default) the
         * registration's timeout less a reserve for reporting, so the check's own message (the RESP error, the
         * step that did not answer) arrives before the engine's generic timeout.
         *
         * @param value positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration value) {
            timeout = Require.positive(value, "timeout");
            return this;
        }

        /**
         * @param value bound of the TCP connect, default 500 ms; the overall timeout still applies
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration value) {
            connectTimeout = Require.positive(value, "connectTimeout");
            return this;
        }

        /**
         * @param value largest accepted reply in bytes, default 65536 ({@code INFO replication} is well under
         *              1 KiB); a larger reply is DOWN, never buffered
         * @return this builder
         * @throws IllegalArgumentException if below 1024
         */
        public Builder maxReplyBytes(int value) {
            maxReplyBytes = Require.atLeast(value, 1024, "maxReplyBytes");
            return this;
        }

        /**
         * @param value status of a replica whose {@code master_link_status} is not {@code up}: DEGRADED
         *              (default: it still serves possibly stale reads), DOWN, or UP to ignore it
         * @return this builder
         */
        public Builder replicaLinkDown(Status value) {
            replicaLinkDown = Objects.requireNonNull(value, "replicaLinkDown");
            return this;
        }

        /**
         * @param value TLS context for {@code rediss://} (trust store, client certificate); default
         *              {@link SSLContext#getDefault()}
         * @return this builder
         */
        public Builder sslContext(SSLContext value) {
            sslContext = Objects.requireNonNull(value, "sslContext");
            return this;
        }

        /**
         * @param value whether the server certificate must name the host (default {@code true}); turn off only
         *              for servers reached by an address their certificate does not list
         * @return this builder
         */
        public Builder verifyHostname(boolean value) {
            verifyHostname = value;
            return this;
        }

        /**
         * @return the check
         * @throws IllegalStateException if TLS is asked for and the JDK has no default TLS context
         */
        public RedisProbeCheck build() {
            if (target.tls && sslContext == null) {
                try {
                    sslContext = SSLContext.getDefault();
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException("no default TLS context", e);
                }
            }
            return new RedisProbeCheck(this);
        }
    }
}
