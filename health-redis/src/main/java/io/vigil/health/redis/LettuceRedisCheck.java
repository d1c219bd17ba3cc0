package io.vigil.health.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Checks Redis through the service's own Lettuce client: {@code PING}, {@code INFO server} and
 * {@code INFO replication} (or {@code CLUSTER INFO} for a cluster connection), sent on Lettuce's asynchronous API
 * (an {@link AsyncHealthCheck}: no thread waits for a reply), each awaited at most until the check's
 * {@link Builder#timeout(Duration) timeout} or the time the engine has left, whichever is shorter, whatever Lettuce's
 * own command timeout is. However a wait ends without a reply (that deadline, the engine cancelling the run, an
 * error), the command is not left behind unseen: on the own connection the check closes the connection, which fails
 * it; on a shared connection, where a written command stays until Redis answers (replies come in order), the check
 * sends nothing more until it is answered, so it never has more than one command on the service's connection. Three
 * sources:
 * <ul>
 *   <li>{@link #of(StatefulRedisConnection)}: a connection the service shares. While Lettuce is reconnecting it is
 *       DOWN at once, without queueing commands. Do not pass a connection used for {@code MULTI} or pub/sub.</li>
 *   <li>{@link #of(StatefulRedisClusterConnection)}: a cluster connection; DOWN when {@code cluster_state} is not
 *       {@code ok}.</li>
 *   <li>{@link #of(RedisClient, RedisURI)}: the check opens one connection of its own on first use, reopens it after
 *       a failure (so a rejected password or a refused connection is named in the message) and closes it in
 *       {@link #close()}. It owns at most one connection, open or opening: a run waits for the opening at most
 *       the timeout and leaves it to the next run; {@code close()} closes it, also when it opens later.</li>
 * </ul>
 * Results and data as for {@link RedisProbeCheck} ({@code roundTripMs}, {@code version}, {@code mode},
 * {@code role}, replica and cluster fields; no address). Error replies such as {@code NOAUTH}, {@code WRONGPASS},
 * {@code LOADING} are DOWN with a message naming them. Thread-safe; the check never throws.
 *
 * <pre>{@code
 * StatefulRedisConnection<String, String> redis = client.connect();          // the service's connection
 * health.register("redis", LettuceRedisCheck.of(redis));
 * }</pre>
 */
// "exports": Lettuce is optional; whoever passes a Lettuce client to a factory has Lettuce, the rest never touch one
@SuppressWarnings("exports")
public final class LettuceRedisCheck implements AsyncHealthCheck, AutoCloseable {
    private final Source source;
    private final Duration timeout;
    private final Status replicaLinkDown;
    private static final Duration BRIDGE_GRACE = Duration.ofMillis(200);
    /** A command a run gave up waiting for, while it may still be on the connection (one run at a time). */
    private volatile @Nullable Unanswered unanswered;
    /** The latest run, for {@link #describeTimeout}: the engine runs one execution of a check at a time. */
    private volatile @Nullable Run current;

    private LettuceRedisCheck(Builder b) {
        this.source = b.source;
        this.timeout = b.timeout;
        this.replicaLinkDown = b.replicaLinkDown;
    }

    /**
     * @param connection the service's standalone (or master/replica) connection; not closed by the check
     * @return a check with the defaults
     */
    public static LettuceRedisCheck of(StatefulRedisConnection<?, ?> connection) {
        return builder(connection).build();
    }

    /**
     * @param connection the service's cluster connection; not closed by the check
     * @return a check with the defaults
     */
    public static LettuceRedisCheck of(StatefulRedisClusterConnection<?, ?> connection) {
        return builder(connection).build();
    }

    /**
     * @param client the service's client; its resources (event loops) are used, not closed
     * @param uri    the server, with its credentials; they stay inside Lettuce
     * @return a check with the defaults that owns one connection; close it on shutdown
     */
    public static LettuceRedisCheck of(RedisClient client, RedisURI uri) {
        return builder(client, uri).build();
    }

    /**
     * @param connection the service's standalone connection
     * @return a builder: timeout 800 ms, replica link down DEGRADED
     */
    public static Builder builder(StatefulRedisConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        return new Builder(new Shared(connection, false));
    }

    /**
     * @param connection the service's cluster connection
     * @return a builder: timeout 800 ms, replica link down DEGRADED
     */
    public static Builder builder(StatefulRedisClusterConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        return new Builder(new Shared(connection, true));
    }

    /**
     * @param client the service's client
     * @param uri    the server
     * @return a builder: timeout 800 ms, replica link down DEGRADED
     */
    public static Builder builder(RedisClient client, RedisURI uri) {
        return new Builder(new Owned(Objects.requireNonNull(client, "client"), Objects.requireNonNull(uri, "uri")));
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DATASTORE;
    }

    /**
     * Every evaluation starts a call of its own, so the engine may cancel it at the deadline.
     *
     * @return {@code true}
     */
    @Override
    public boolean cancelOnTimeout() {
        return true;
    }

    /**
     * Starts the run on Lettuce's asynchronous API; no thread waits for the replies. The run is bounded by the time
     * the engine has left, at most the {@link Builder#timeout(Duration) timeout}; when that passes, or the engine
     * cancels the stage, the command in flight is failed or remembered as unanswered, as described above.
     */
    @Override
    public CompletionStage<CheckResult> checkAsync(CheckContext context) {
        Run run = new Run(context, context.ioTimeout(timeout));
        current = run;
        return run.start();
    }

    /**
     * The engine's deadline passed before the run's own timer ended it (that timer woken late on a loaded machine):
     * the step Redis has not answered, in the words the run itself would use.
     */
    @Override
    public @Nullable String describeTimeout(CheckContext context) {
        Run run = current;
        return run == null || run.context != context ? null : run.noAnswer(run.step());
    }

    /**
     * Blocking bridge for direct callers: waits a little longer than the timeout, so that the check's own deadline,
     * which names the step that was slow, ends the run.
     */
    @Override
    public CheckResult check() {
        try {
            return check(CheckContext.within(timeout.plus(BRIDGE_GRACE)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.down("interrupted while waiting for Redis");
        } catch (Exception e) {
            return down("PING", e);
        }
    }

    /** One run: PING, then INFO, each reply awaited by a stage, the whole bounded by the run's budget. */
    private final class Run {
        private final CheckContext context;
        private final Duration budget;
        private final CompletableFuture<CheckResult> work = new CompletableFuture<>();
        // guarded by this (written when a command is sent, read when the run gives up)
        private String step = "connect";
        private @Nullable Future<?> command; // the command in flight, or null while connecting
        private long sentAt;

        Run(CheckContext context, Duration budget) {
            this.context = context;
            this.budget = budget;
        }

        CompletionStage<CheckResult> start() {
            if (budget.isZero()) {
                return CompletableFuture.completedFuture(down("connect", new TimeoutException()));
            }
            CompletableFuture<CheckResult> result = work.orTimeout(budget.toNanos(), TimeUnit.NANOSECONDS)
                    .handle((r, t) -> {
                        if (t == null) {
                            return r;
                        }
                        Throwable cause = unwrap(t);
                        if (cause instanceof TimeoutException) {
                            abandon();
                        }
                        return down(step(), cause);
                    });
            // the callback handles every outcome itself; the stage it returns is not needed
            var unusedCancel = result.whenComplete((r, t) -> {
                if (result.isCancelled()) {
                    abandon(); // the engine gave up on the run: so does the run
                    work.cancel(false);
                }
            });
            try {
                var unusedRun = source.commands().thenCompose(this::ping).whenComplete((r, t) -> {
                    if (t == null) {
                        work.complete(r);
                    } else {
                        work.completeExceptionally(t);
                    }
                });
            } catch (RuntimeException e) {
                work.completeExceptionally(e);
            }
            return result;
        }

        private CompletionStage<CheckResult> ping(RedisClusterAsyncCommands<?, ?> redis) {
            Unanswered previous = unanswered;
            if (previous != null && !previous.command().isDone()) {
                // a stalled connection: another command would only queue behind it
                return CompletableFuture.completedFuture(CheckResult.of(
                        Status.DOWN,
                        "no answer yet to the "
                                + previous.step() + " sent "
                                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - previous.sentAt())
                                + " ms ago; not sending another"));
            }
            unanswered = null;
            long start = System.nanoTime();
            return send(redis::ping, "PING").thenCompose(pong -> {
                long rtt = System.nanoTime() - start;
                if (!"PONG".equals(pong)) {
                    return CompletableFuture.completedFuture(
                            CheckResult.down("unexpected answer to PING: " + RedisResults.clean(pong, null)));
                }
                return info(() -> redis.info("server"), "INFO").thenCompose(server -> {
                    CompletionStage<Map<String, String>> second = source.cluster()
                            ? info(redis::clusterInfo, "CLUSTER INFO")
                            : info(() -> redis.info("replication"), "INFO");
                    return second.thenApply(more -> {
                        Map<String, String> all = new HashMap<>(server);
                        all.putAll(more);
                        return RedisResults.answered(rtt, all, replicaLinkDown, Map.of());
                    });
                });
            });
        }

        /** Sends a command unless the run is over (timed out or cancelled); guarded with {@link #abandon()}. */
        private synchronized <T> CompletionStage<T> send(Supplier<RedisFuture<T>> call, String name) {
            if (work.isDone()) {
                return CompletableFuture.failedFuture(new CancellationException("the run is over"));
            }
            step = name;
            sentAt = System.nanoTime();
            RedisFuture<T> reply = call.get();
            command = reply;
            return reply;
        }

        private CompletionStage<Map<String, String>> info(Supplier<RedisFuture<String>> call, String name) {
            return send(call, name).handle((text, t) -> {
                if (t == null) {
                    return RedisResults.parseInfo(text);
                }
                if (unwrap(t) instanceof RedisCommandExecutionException x
                        && RedisResults.isNoPermission(x.getMessage())) {
                    return Map.of();
                }
                throw t instanceof CompletionException c ? c : new CompletionException(t);
            });
        }

        /**
         * The run stopped waiting for the reply in flight: the source cancels or drops it, and while it is still
         * unanswered the next run sends nothing.
         */
        private synchronized void abandon() {
            Future<?> c = command;
            if (c != null && !c.isDone() && source.abandon(c) && !c.isDone()) {
                unanswered = new Unanswered(c, step, sentAt);
            }
        }

        private synchronized String step() {
            return step;
        }

        private CheckResult down(String at, Throwable t) {
            if (t instanceof TimeoutException) {
                return CheckResult.of(Status.DOWN, noAnswer(at)).withError(t);
            }
            return LettuceRedisCheck.down(at, t);
        }

        String noAnswer(String at) {
            return "connect".equals(at)
                    ? "could not connect to Redis within " + budget.toMillis() + " ms"
                    : "no answer to " + at + " within " + budget.toMillis() + " ms";
        }
    }

    /**
     * Lettuce 6.8 fails a connect with {@code IllegalStateException("RedisHandshakeHandler not registered")} when the
     * server refused the handshake and closed the channel before Lettuce looked up its handshake handler: the
     * server's reply is lost. Measured: 46 of 1500 fresh connects with a wrong password on a 2-core machine.
     */
    static boolean isHandshakeRace(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof IllegalStateException
                    && c.getMessage() != null
                    && c.getMessage().contains("RedisHandshakeHandler not registered")) {
                return true;
            }
        }
        return false;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static CheckResult down(String step, Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RedisCommandExecutionException) {
                return CheckResult.of(Status.DOWN, RedisResults.describeError(c.getMessage(), null));
            }
        }
        String message;
        if (t instanceof NotOpen) {
            message = Objects.requireNonNullElse(t.getMessage(), "the connection is not open");
        } else if (t instanceof RedisCommandTimeoutException) {
            message = "Lettuce timed out the " + step + " command: " + RedisResults.clean(t.getMessage(), null);
        } else if (t instanceof RedisConnectionException) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            message = "cannot connect to Redis: " + RedisResults.clean(Secrets.describe(root == t ? t : root), null);
        } else {
            message = step + " failed: " + RedisResults.clean(Secrets.describe(t), null);
        }
        return CheckResult.of(Status.DOWN, message).withError(t);
    }

    /** Closes the check's own connection, if it has one; a shared connection is left to the service. */
    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return "LettuceRedisCheck[" + source + "]";
    }

    /** How often a connect that lost Lettuce's handshake race is tried again. */
    static final int HANDSHAKE_RACE_RETRIES = 3;

    /** Where the commands go. */
    private interface Source {
        /** @return the commands to send on, once there is a connection; failed with {@link NotOpen} if none */
        CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands();

        boolean cluster();

        /**
         * A run stopped waiting for this command's reply.
         *
         * @return whether the command may still be waiting on the connection for its reply
         */
        boolean abandon(Future<?> command);

        void close();
    }

    /** A command sent at {@code sentAt} (nanoTime) whose reply no run waits for any more. */
    private record Unanswered(Future<?> command, String step, long sentAt) {}

    /** A connection in the service's hands. */
    private record Shared(StatefulConnection<?, ?> connection, boolean cluster) implements Source {
        @Override
        public CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands() {
            if (!connection.isOpen()) {
                return CompletableFuture.failedFuture(
                        new NotOpen("the Lettuce connection is not open (disconnected, reconnecting or closed)"));
            }
            return CompletableFuture.completedFuture(
                    cluster
                            ? ((StatefulRedisClusterConnection<?, ?>) connection).async()
                            : ((StatefulRedisConnection<?, ?>) connection).async());
        }

        @Override
        public boolean abandon(Future<?> command) {
            // Written commands stay on the connection until Redis answers, cancelled or not (replies come in
            // order); the check sends no other meanwhile. One still buffered while Lettuce reconnects is cancelled,
            // so it is never sent.
            if (!connection.isOpen()) {
                command.cancel(false);
            }
            return true;
        }

        @Override
        public void close() {
            // the service owns it
        }

        @Override
        public String toString() {
            return cluster ? "cluster connection" : "connection";
        }
    }

    /**
     * The check's own connection, opened on demand: at most one, open or opening. A run that stops waiting for
     * the opening leaves it to the next run (which waits for the same one) or to {@link #close()}; a run that
     * stops waiting for a reply closes the connection, which fails the command, and the next run opens afresh.
     */
    private static final class Owned implements Source {
        private final RedisClient client;
        private final RedisURI uri;
        private final Object lock = new Object();
        private @Nullable CompletableFuture<StatefulRedisConnection<String, String>> current; // guarded by lock
        private boolean closed; // guarded by lock

        Owned(RedisClient client, RedisURI uri) {
            this.client = client;
            this.uri = uri;
        }

        /**
         * Connects; a connect that lost Lettuce's handshake race is tried again (at most {@code retries} times), so
         * the server's own refusal (WRONGPASS, NOAUTH) is what the check reports. Retries start on the thread that
         * saw the failure (an I/O thread) and block nothing.
         */
        private CompletableFuture<StatefulRedisConnection<String, String>> connect(int retries) {
            return client.connectAsync(StringCodec.UTF8, uri)
                    .toCompletableFuture()
                    .exceptionallyCompose(t -> {
                        if (retries > 0 && isHandshakeRace(t)) {
                            return connect(retries - 1);
                        }
                        return CompletableFuture.failedFuture(unwrap(t));
                    });
        }

        @Override
        public CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands() {
            CompletableFuture<StatefulRedisConnection<String, String>> opening;
            synchronized (lock) {
                if (closed) {
                    return CompletableFuture.failedFuture(new NotOpen("the check is closed"));
                }
                opening = current;
                if (opening != null && opening.isDone()) {
                    StatefulRedisConnection<String, String> c =
                            opening.isCompletedExceptionally() ? null : opening.join();
                    if (c != null && c.isOpen()) {
                        return CompletableFuture.completedFuture(c.async());
                    }
                    if (c != null) {
                        closeQuietly(c); // reconnecting in the background hides why; a fresh connect names the cause
                    }
                    opening = null;
                }
                if (opening == null) {
                    opening = connect(HANDSHAKE_RACE_RETRIES);
                    current = opening;
                }
            }
            CompletableFuture<StatefulRedisConnection<String, String>> attempt = opening;
            // a run that stops waiting leaves the opening to the next run; one that fails is forgotten
            return attempt.handle((c, t) -> {
                if (t != null) {
                    synchronized (lock) {
                        if (current == attempt) {
                            current = null;
                        }
                    }
                    throw t instanceof CompletionException x ? x : new CompletionException(t);
                }
                return c.async();
            });
        }

        @Override
        public boolean cluster() {
            return false;
        }

        @Override
        public boolean abandon(Future<?> command) {
            CompletableFuture<StatefulRedisConnection<String, String>> connection;
            synchronized (lock) {
                connection = current;
                current = null;
            }
            closeWhenOpen(connection); // closing fails the command: nothing of the check stays behind
            return false;
        }

        @Override
        public void close() {
            CompletableFuture<StatefulRedisConnection<String, String>> connection;
            synchronized (lock) {
                closed = true;
                connection = current;
                current = null;
            }
            if (connection != null && connection.isDone() && !connection.isCompletedExceptionally()) {
                connection.join().close();
            } else {
                closeWhenOpen(connection);
            }
        }

        /** Closes the connection now, or as soon as it opens should it open late. */
        private static void closeWhenOpen(
                @Nullable CompletableFuture<StatefulRedisConnection<String, String>> connection) {
            if (connection != null) {
                var unused = connection.thenAccept(Owned::closeQuietly); // closes by itself, never fails
            }
        }

        /** Closes in the background: a connection that fails to close changes nothing the check reports. */
        private static void closeQuietly(StatefulConnection<?, ?> c) {
            var unused = c.closeAsync();
        }

        @Override
        public String toString() {
            return "own connection to " + uri.getHost() + ":" + uri.getPort();
        }
    }

    /** The connection is not usable now. */
    private static final class NotOpen extends Exception {
        private static final long serialVersionUID = 1L;

        NotOpen(String message) {
            super(message, null, false, false);
        }
    }

    /** Configures a {@link LettuceRedisCheck}. Not thread-safe. */
    public static final class Builder {
        private final Source source;
        private Duration timeout = Duration.ofMillis(800);
        private Status replicaLinkDown = Status.DEGRADED;

        Builder(Source source) {
            this.source = source;
        }

        /**
         * Bound of one check (waiting for the own connection, PING, INFO), default 800 ms; keep it below the
         * registration's timeout. A command unanswered then is failed (own connection: the connection is closed)
         * or, on a shared connection, not followed by another until Redis answers it.
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
         * @param value status of a replica whose master link is down: DEGRADED (default), DOWN, or UP to ignore
         * @return this builder
         */
        public Builder replicaLinkDown(Status value) {
            replicaLinkDown = Objects.requireNonNull(value, "replicaLinkDown");
            return this;
        }

        /** @return the check */
        public LettuceRedisCheck build() {
            return new LettuceRedisCheck(this);
        }
    }
}
