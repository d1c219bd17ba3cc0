package io.vigil.health.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Checks RabbitMQ over one AMQP connection, never one per probe. Each run:
 * <ol>
 *   <li>the connection is open (DOWN with the broker's or the network's reason when it is not);</li>
 *   <li>the connection is not <em>blocked</em> by a broker resource alarm (memory or disk): while it is, publishers
 *       are stalled and the check is DEGRADED, naming the alarm's reason. The broker tells a connection it is
 *       blocked once the connection publishes, so this reflects the application's connection when it is the one
 *       checked, and the node's alarm as seen by any publishing client;</li>
 *   <li>for each {@linkplain Builder#queue(String, long, int) configured queue}, a passive {@code queue.declare} on a
 *       channel opened for the run and closed after it: DOWN when the queue does not exist, DEGRADED when it holds
 *       more messages than allowed (a dead-letter queue filling up) or has fewer consumers than required.</li>
 * </ol>
 * Data: {@code blocked}, and per queue {@code <queue>.messages} and {@code <queue>.consumers}.
 *
 * <p>Two sources. {@link #builder(ConnectionFactory)}: the check opens one connection of its own from a copy of the
 * factory on first use (no automatic recovery: a failed connection is reopened by the next run, so its failure —
 * refused, unreachable, {@code ACCESS_REFUSED} — is named), keeps it between runs, and closes it in
 * {@link #close()}. Every wait of a run is bounded by the time the engine has left (at most the
 * {@linkplain Builder#timeout(Duration) timeout}): at the deadline the socket being connected is closed or the
 * connection is aborted, so a stalled broker never holds a thread or a connection of the check beyond the run.
 * {@link #builder(Connection)}: the application's connection; the check never closes or aborts it. Without queues
 * the run does no I/O (the connection's state and its blocked notifications); with queues the {@code queue.declare}
 * waits are bounded by aborting the run's channel at the deadline, while opening that channel is bounded by the
 * connection's own {@link ConnectionFactory#setChannelRpcTimeout(int) channel RPC timeout}, which the check cannot
 * shorten on a connection it does not own.
 *
 * <p>Messages name the broker's reason and never an address or a credential. Thread-safe; blocking (the client is
 * synchronous), so the engine runs it on its pool.
 *
 * <pre>{@code
 * ConnectionFactory factory = new ConnectionFactory();
 * factory.setUri(System.getenv("RABBITMQ_URI"));
 * health.register("rabbitmq", RabbitMqCheck.builder(factory)
 *         .queue("orders.dlq", 100, 0)      // DEGRADED above 100 dead letters
 *         .queue("orders", Long.MAX_VALUE, 1) // DEGRADED without a consumer
 *         .build(), CheckPolicy.readiness());
 * }</pre>
 */
public final class RabbitMqCheck implements HealthCheck, AutoCloseable {
    private static final String CLIENT_NAME = "vigil-health";
    private final Source source;
    private final Duration timeout;
    private final Map<String, QueueLimit> queues;

    private RabbitMqCheck(Builder b) {
        this.source = b.source;
        this.timeout = b.timeout;
        this.queues = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.queues));
    }

    /**
     * @param connection the application's connection; the check adds a blocked listener to it (removed by
     *                   {@link #close()}) and never closes it
     * @return a builder: timeout 2 s, no queues
     */
    public static Builder builder(Connection connection) {
        return new Builder(new Shared(Objects.requireNonNull(connection, "connection")));
    }

    /**
     * @param factory the application's factory (host, credentials, TLS, virtual host); the check copies it and
     *                opens one connection of its own from the copy
     * @return a builder: timeout 2 s, no queues
     */
    public static Builder builder(ConnectionFactory factory) {
        return new Builder(new Owned(Objects.requireNonNull(factory, "factory").clone()));
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DEPENDENCY;
    }

    @Override
    public CheckResult check() {
        return check(CheckContext.within(timeout));
    }

    @Override
    public CheckResult check(CheckContext context) {
        Duration budget = context.ioTimeout(timeout);
        Deadline deadline = new Deadline(budget);
        String step = "connect";
        try {
            Connection connection = source.connection(deadline);
            step = "check";
            if (!connection.isOpen()) {
                ShutdownSignalException why = connection.getCloseReason();
                return CheckResult.down("connection closed" + (why == null ? "" : ": " + reason(why)));
            }
            Map<String, Object> data = new LinkedHashMap<>();
            String blocked = source.blockedReason();
            data.put("blocked", blocked != null);
            List<String> down = new ArrayList<>();
            List<String> warn = new ArrayList<>();
            if (blocked != null) {
                warn.add(
                        "connection blocked by the broker: " + RabbitText.clean(blocked) + " (publishers are stalled)");
            }
            if (!queues.isEmpty()) {
                step = "queue.declare";
                declareQueues(connection, deadline, data, down, warn);
            }
            if (!down.isEmpty()) {
                down.addAll(warn);
                return CheckResult.of(Status.DOWN, String.join("; ", down)).withData(data);
            }
            if (!warn.isEmpty()) {
                return CheckResult.of(Status.DEGRADED, String.join("; ", warn)).withData(data);
            }
            return CheckResult.of(Status.UP, "connected to RabbitMQ " + serverVersion(connection))
                    .withData(data);
        } catch (Exception e) {
            if (deadline.passed() || e instanceof TimeoutException || e instanceof java.net.SocketTimeoutException) {
                source.abandon();
                return CheckResult.of(
                                Status.DOWN,
                                "no answer from RabbitMQ to " + step + " within " + budget.toMillis() + " ms")
                        .withError(new TimeoutException(step));
            }
            if (!"check".equals(step) && !"queue.declare".equals(step)) {
                source.abandon();
            }
            return down(step, e);
        } finally {
            deadline.finish();
        }
    }

    private void declareQueues(
            Connection connection, Deadline deadline, Map<String, Object> data, List<String> down, List<String> warn)
            throws IOException, TimeoutException {
        Channel channel = null;
        try {
            for (Map.Entry<String, QueueLimit> q : queues.entrySet()) {
                if (channel == null || !channel.isOpen()) {
                    channel = connection.createChannel();
                    if (channel == null) {
                        throw new IOException("no channel available on the connection (channel_max reached)");
                    }
                    Channel cut = channel;
                    deadline.onExpiry(() -> source.cut(cut));
                }
                String name = q.getKey();
                try {
                    AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(name);
                    data.put(name + ".messages", ok.getMessageCount());
                    data.put(name + ".consumers", ok.getConsumerCount());
                    QueueLimit limit = q.getValue();
                    if (ok.getMessageCount() > limit.maxMessages()) {
                        warn.add("queue " + RabbitText.clean(name) + " holds " + ok.getMessageCount()
                                + " messages (more than " + limit.maxMessages() + ")");
                    }
                    if (ok.getConsumerCount() < limit.minConsumers()) {
                        warn.add("queue " + RabbitText.clean(name) + " has " + ok.getConsumerCount()
                                + " consumer(s) (fewer than " + limit.minConsumers() + ")");
                    }
                } catch (IOException e) {
                    if (deadline.passed()) {
                        throw e;
                    }
                    ShutdownSignalException s = shutdownOf(e);
                    if (s != null
                            && !s.isHardError()
                            && s.getReason() instanceof AMQP.Channel.Close close
                            && close.getReplyCode() == AMQP.NOT_FOUND) {
                        down.add("queue " + RabbitText.clean(name) + " does not exist");
                        continue; // the broker closed the channel: the next queue gets a new one
                    }
                    throw e;
                }
            }
        } finally {
            if (channel != null && channel.isOpen()) {
                try {
                    channel.close();
                } catch (IOException | TimeoutException | ShutdownSignalException e) {
                    channel.abort();
                }
            }
        }
    }

    private static String serverVersion(Connection connection) {
        Object v = connection.getServerProperties().get("version");
        return v == null ? "" : RabbitText.clean(v.toString());
    }

    private static @Nullable ShutdownSignalException shutdownOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ShutdownSignalException s) {
                return s;
            }
        }
        return null;
    }

    private static String reason(ShutdownSignalException s) {
        Object r = s.getReason();
        if (r instanceof AMQP.Connection.Close c) {
            return RabbitText.clean(c.getReplyText());
        }
        if (r instanceof AMQP.Channel.Close c) {
            return RabbitText.clean(c.getReplyText());
        }
        return s.isInitiatedByApplication() ? "closed by the application" : RabbitText.describe(s);
    }

    private static CheckResult down(String step, Exception e) {
        String message;
        ShutdownSignalException shutdown = shutdownOf(e);
        if (e instanceof AuthenticationFailureException) {
            message = "RabbitMQ refused the credentials: " + RabbitText.describe(e);
        } else if (shutdown != null) {
            message = step + " failed: " + reason(shutdown);
        } else if (e instanceof java.net.ConnectException) {
            message = "cannot connect to RabbitMQ: " + RabbitText.describe(e);
        } else {
            message = step + " failed: " + RabbitText.describe(e);
        }
        return CheckResult.of(Status.DOWN, message).withError(Secrets.redacted(e));
    }

    /** Closes the check's own connection, or removes its listener from the application's. */
    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return "RabbitMqCheck[" + source + ", queues=" + queues.keySet() + "]";
    }

    /** A queue's thresholds. */
    private record QueueLimit(long maxMessages, int minConsumers) {}

    /**
     * The end of a run: at the deadline, whatever the run is waiting on is cut (a socket closed, a connection or a
     * channel aborted) so that the waiting thread returns; nothing happens once the run has finished.
     */
    private static final class Deadline {
        /**
         * One daemon thread for every check of the JVM: it only cuts (closes a socket, aborts a connection), which
         * never blocks for long; a shared pool (the common pool) could run a cut late behind unrelated work.
         */
        private static final ScheduledThreadPoolExecutor CUTTER = cutter();

        private final long at;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final List<Runnable> onExpiry = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final ScheduledFuture<?> timer;

        Deadline(Duration budget) {
            this.at = System.nanoTime() + budget.toNanos();
            this.timer = CUTTER.schedule(this::expire, budget.toNanos(), TimeUnit.NANOSECONDS);
        }

        private static ScheduledThreadPoolExecutor cutter() {
            ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "vigil-rabbitmq-deadline");
                t.setDaemon(true);
                return t;
            });
            e.setRemoveOnCancelPolicy(true);
            return e;
        }

        boolean passed() {
            return System.nanoTime() - at >= 0;
        }

        int millisLeft() {
            return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(at - System.nanoTime()));
        }

        void onExpiry(Runnable cut) {
            onExpiry.add(cut);
            if (finished.get()) {
                return;
            }
            if (passed()) {
                expire();
            }
        }

        private void expire() {
            if (finished.compareAndSet(false, true)) {
                for (Runnable r : onExpiry) {
                    try {
                        r.run();
                    } catch (RuntimeException ignored) {
                        // cutting is best effort: the thing may already be closed
                    }
                }
            }
        }

        void finish() {
            finished.set(true);
            timer.cancel(false);
        }
    }

    /** Where the connection comes from. */
    private interface Source {
        Connection connection(Deadline deadline) throws IOException, TimeoutException;

        /** @return the reason of the broker's connection.blocked, or null while not blocked */
        @Nullable
        String blockedReason();

        /** The run failed or timed out on the connection: an own connection is dropped, to be reopened. */
        void abandon();

        /** The run's deadline passed while it waited on this channel: make the wait end. */
        void cut(Channel channel);

        void close();
    }

    /** Tracks connection.blocked / connection.unblocked. */
    private static final class Blocked implements BlockedListener {
        private volatile @Nullable String reason;

        @Override
        public void handleBlocked(String why) {
            reason = why == null || why.isBlank() ? "resource alarm" : why;
        }

        @Override
        public void handleUnblocked() {
            reason = null;
        }
    }

    private static final class Shared implements Source {
        private final Connection connection;
        private final Blocked blocked = new Blocked();

        Shared(Connection connection) {
            this.connection = connection;
            connection.addBlockedListener(blocked);
        }

        @Override
        public Connection connection(Deadline deadline) {
            return connection;
        }

        @Override
        public @Nullable String blockedReason() {
            return blocked.reason;
        }

        @Override
        public void abandon() {
            // the application's connection: never closed by the check
        }

        /**
         * Aborting a channel wakes the run's wait at once but then waits up to 10 s for the broker's close-ok (the
         * client's fixed bound): that part runs off the deadline thread, on a daemon thread of its own that ends with
         * the abort — never on the common pool, where a blocked task starves every other user of it (one worker on
         * two cores).
         */
        @Override
        public void cut(Channel channel) {
            Thread abort = new Thread(
                    () -> {
                        try {
                            channel.abort();
                        } catch (IOException | RuntimeException ignored) {
                            // already closed
                        }
                    },
                    "vigil-rabbitmq-abort");
            abort.setDaemon(true);
            abort.start();
        }

        @Override
        public void close() {
            connection.removeBlockedListener(blocked);
        }

        @Override
        public String toString() {
            return "application's connection";
        }
    }

    /** One connection of the check's own, opened on first use, reopened after a failure; never more than one. */
    private static final class Owned implements Source {
        private final ConnectionFactory factory;
        private final Object lock = new Object();
        private @Nullable Connection connection; // guarded by lock
        private @Nullable Blocked blocked; // guarded by lock
        private boolean closed; // guarded by lock

        Owned(ConnectionFactory factory) {
            this.factory = factory;
            factory.setAutomaticRecoveryEnabled(false);
            factory.setTopologyRecoveryEnabled(false);
            // a connection the check cuts at a deadline is the check's business: the client's default handler would
            // log a warning per cut connection, i.e. per probe during an outage
            factory.setExceptionHandler(new QuietExceptionHandler());
        }

        @Override
        public Connection connection(Deadline deadline) throws IOException, TimeoutException {
            synchronized (lock) {
                if (closed) {
                    throw new IOException("the check is closed");
                }
                Connection open = connection;
                if (open != null && open.isOpen()) {
                    deadline.onExpiry(() -> abort(open));
                    return open;
                }
                if (open != null) {
                    open.abort(0);
                    connection = null;
                }
                // every wait of the opening is cut at the run's deadline: the socket is closed under it
                ConnectionFactory f = factory.clone();
                int ms = deadline.millisLeft();
                f.setConnectionTimeout(ms);
                f.setHandshakeTimeout(ms);
                SocketFactory sockets =
                        factory.getSocketFactory() == null ? SocketFactory.getDefault() : factory.getSocketFactory();
                f.setSocketFactory(new CuttingSocketFactory(sockets, deadline));
                Connection c = f.newConnection(CLIENT_NAME);
                Blocked b = new Blocked();
                c.addBlockedListener(b);
                connection = c;
                blocked = b;
                deadline.onExpiry(() -> abort(c));
                return c;
            }
        }

        private void abort(Connection c) {
            synchronized (lock) {
                if (connection == c) {
                    connection = null;
                }
            }
            c.abort(0);
        }

        /** Nothing: the own connection is aborted at the deadline, which ends every wait on its channels. */
        @Override
        public void cut(Channel channel) {
            // the connection's cut covers it
        }

        @Override
        public @Nullable String blockedReason() {
            synchronized (lock) {
                return blocked == null ? null : blocked.reason;
            }
        }

        @Override
        public void abandon() {
            Connection c;
            synchronized (lock) {
                c = connection;
                connection = null;
            }
            if (c != null) {
                c.abort(0);
            }
        }

        @Override
        public void close() {
            Connection c;
            synchronized (lock) {
                closed = true;
                c = connection;
                connection = null;
            }
            if (c != null && c.isOpen()) {
                try {
                    c.close(1000);
                } catch (IOException | RuntimeException e) {
                    c.abort(0);
                }
            }
        }

        @Override
        public String toString() {
            return "own connection";
        }
    }

    /** Logs the client's connection-driver failures of the check's own connection at DEBUG, not WARN. */
    private static final class QuietExceptionHandler extends com.rabbitmq.client.impl.DefaultExceptionHandler {
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RabbitMqCheck.class);

        @Override
        public void handleUnexpectedConnectionDriverException(Connection conn, Throwable exception) {
            LOG.debug("own connection failed: {}", RabbitText.describe(exception));
        }
    }

    /** Hands out the delegate's sockets and closes each at the run's deadline if it is still connecting. */
    private static final class CuttingSocketFactory extends SocketFactory {
        private final SocketFactory delegate;
        private final Deadline deadline;

        CuttingSocketFactory(SocketFactory delegate, Deadline deadline) {
            this.delegate = delegate;
            this.deadline = deadline;
        }

        private Socket watched(Socket s) {
            deadline.onExpiry(() -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already closed
                }
            });
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return watched(delegate.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return watched(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return watched(delegate.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return watched(delegate.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return watched(delegate.createSocket(host, port, local, localPort));
        }
    }

    /** Configures a {@link RabbitMqCheck}. Not thread-safe. */
    public static final class Builder {
        private final Source source;
        private Duration timeout = Duration.ofSeconds(2);
        private final Map<String, QueueLimit> queues = new LinkedHashMap<>();

        Builder(Source source) {
            this.source = source;
        }

        /**
         * Bound of one run (connecting, every RPC), default 2 s; the engine's time left bounds it too (the shorter
         * wins).
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
         * A queue that must exist (DOWN otherwise), with no thresholds.
         *
         * @param name the queue
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder queue(String name) {
            return queue(name, Long.MAX_VALUE, 0);
        }

        /**
         * A queue that must exist (DOWN otherwise), DEGRADED when it holds more than {@code maxMessages} messages
         * (ready ones, as {@code queue.declare} counts them) or has fewer than {@code minConsumers} consumers.
         *
         * @param name         the queue
         * @param maxMessages  messages above which the check is DEGRADED ({@link Long#MAX_VALUE}: no limit)
         * @param minConsumers consumers below which the check is DEGRADED (0: no limit)
         * @return this builder
         * @throws IllegalArgumentException if the name is blank or a limit negative
         */
        public Builder queue(String name, long maxMessages, int minConsumers) {
            Require.notBlank(name, "queue");
            if (maxMessages < 0 || minConsumers < 0) {
                throw new IllegalArgumentException("limits must not be negative");
            }
            queues.put(name, new QueueLimit(maxMessages, minConsumers));
            return this;
        }

        /** @return the check */
        public RabbitMqCheck build() {
            return new RabbitMqCheck(this);
        }
    }
}
