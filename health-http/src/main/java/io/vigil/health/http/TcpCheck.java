package io.vigil.health.http;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.net.Socket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Checks that a TCP port accepts connections, the {@code nc -zv postgres 5432} of runbooks: resolves the host,
 * connects to its addresses in turn within the time the engine gives it and closes at once, sending nothing.
 *
 * <pre>{@code
 * registry.register("postgres-port", TcpCheck.of("postgres", 5432));
 * }</pre>
 *
 * UP when a connection is established; DOWN naming a DNS failure, a refusal or a timeout. Data: {@code host},
 * {@code port}, {@code address} (the IP connected to) and {@code connectMs}. Immutable and thread-safe; kind
 * {@link CheckKind#DEPENDENCY}.
 */
public final class TcpCheck implements HealthCheck {
    private final String host;
    private final int port;
    private final @Nullable Duration cap; // null: the registration's timeout alone bounds the check

    private TcpCheck(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.cap = b.connectTimeout;
    }

    /**
     * @param host host name or IP literal
     * @param port TCP port, 1–65535
     * @return a check bounded by its registration's timeout
     * @throws IllegalArgumentException for a blank host or a port out of range
     */
    public static TcpCheck of(String host, int port) {
        return builder(host, port).build();
    }

    /**
     * @param host host name or IP literal
     * @param port TCP port, 1–65535
     * @return a builder (no connect timeout of its own: the registration's timeout bounds the connect)
     * @throws IllegalArgumentException for a blank host or a port out of range
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DEPENDENCY;
    }

    /**
     * Called directly (not by an engine): its connect bounded by the {@link Builder#connectTimeout(Duration) cap},
     * or 1 s.
     */
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
        long start = System.nanoTime();
        try (Socket s = Network.connect(host, port, cap != null ? context.ioTimeout(cap) : context.ioTimeout())) {
            data.put("address", s.getInetAddress().getHostAddress());
            data.put("connectMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return CheckResult.of(Status.UP, "connected to " + host + ":" + port)
                    .withData(data);
        } catch (Network.Unreachable e) {
            return CheckResult.of(Status.DOWN, e.getMessage()).withData(data);
        } catch (java.io.IOException closeFailed) {
            // the connection was made; failing to close it says nothing about the dependency
            return CheckResult.of(Status.UP, "connected to " + host + ":" + port)
                    .withData(data);
        }
    }

    @Override
    public String toString() {
        return "TcpCheck[" + host + ":" + port + "]";
    }

    /** Builds a {@link TcpCheck}. Not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private @Nullable Duration connectTimeout;

        Builder(String host, int port) {
            Args.requireEndpoint(host, port);
            this.host = host;
            this.port = port;
        }

        /**
         * @param value upper bound on the connect attempts to the resolved addresses together; without it (the
         *              default) the registration's timeout less a reserve for reporting, so "timed out" comes
         *              from the check, not the engine. The DNS lookup itself is bounded only by the
         *              registration's timeout.
         * @return this builder
         * @throws IllegalArgumentException unless positive
         */
        public Builder connectTimeout(Duration value) {
            connectTimeout = Require.positive(value, "connectTimeout");
            return this;
        }

        /** @return the check */
        public TcpCheck build() {
            return new TcpCheck(this);
        }
    }
}
