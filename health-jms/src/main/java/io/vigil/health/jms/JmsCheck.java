package io.vigil.health.jms;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Checks a JMS broker (Jakarta Messaging 3: ActiveMQ Artemis, IBM MQ, any provider) through the application's
 * {@link ConnectionFactory}. The check keeps <em>one</em> connection, created and started on the first run and
 * reused by every later run, never one per probe; a run that fails drops it, and the next run connects afresh (so a
 * refused login or an unreachable broker is named). Each run opens a session on it ({@code createSession} is a round
 * trip to the broker on the providers we know, so a dead connection shows), browses each
 * {@linkplain Builder#queue(String) required queue} without consuming (DOWN when the provider says it does not
 * exist), and closes the session.
 *
 * <p>Why one kept connection and not one per run: on an unpooled factory (Artemis' own, IBM MQ's) a connection is a
 * TCP connection and a login, which per probe is what exhausts a broker's connection limit; on a pooled or caching
 * factory (Spring's {@code CachingConnectionFactory}, pooled-jms) the kept connection is one of the pool's, held,
 * and its sessions come and go.
 *
 * <p>JMS has no per-call timeout: each call is bounded only by the provider's own (Artemis {@code callTimeout}, 30 s
 * by default). So the calls run on one worker thread of the check and a run waits for them until the time the engine
 * has left (at most the {@linkplain Builder#timeout(Duration) timeout}): then it is DOWN with
 * {@code no answer from the JMS broker to createSession within … ms}, the call is left to finish on the worker, and
 * until it does the next runs send nothing ({@code no answer yet … not sending another}). At most one call in
 * flight and one thread, whatever the number of probes. Messages never show a URL or a credential. Thread-safe;
 * blocking, so the engine runs it on its pool.
 *
 * <pre>{@code
 * health.register("jms", JmsCheck.builder(connectionFactory).queue("orders").build());
 * }</pre>
 */
public final class JmsCheck implements HealthCheck, AutoCloseable {
    private final ConnectionFactory factory;
    private final @Nullable String user;
    private final @Nullable String password;
    private final Duration timeout;
    private final List<String> queues;
    private final Object lock = new Object();
    private @Nullable Connection connection; // guarded by lock
    private @Nullable Work inFlight; // guarded by lock
    /** One daemon thread per check, started on demand, ended after a minute idle or by {@link #close()}. */
    private final java.util.concurrent.ThreadPoolExecutor worker = new java.util.concurrent.ThreadPoolExecutor(
            0, 1, 60, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "vigil-jms-check");
                t.setDaemon(true);
                return t;
            });

    private boolean closed; // guarded by lock

    private JmsCheck(Builder b) {
        this.factory = b.factory;
        this.user = b.user;
        this.password = b.password;
        this.timeout = b.timeout;
        this.queues = List.copyOf(b.queues);
    }

    /**
     * @param factory the application's connection factory
     * @return a builder: timeout 2 s, no queues, the factory's default credentials
     */
    public static Builder builder(ConnectionFactory factory) {
        return new Builder(Objects.requireNonNull(factory, "factory"));
    }

    /**
     * @param factory the application's connection factory
     * @return a check with the defaults
     */
    public static JmsCheck of(ConnectionFactory factory) {
        return builder(factory).build();
    }

    @Override
    public CheckKind kind() {
        return CheckKind.DEPENDENCY;
    }

    @Override
    public CheckResult check() {
        return check(CheckContext.within(timeout));
    }

    /**
     * Runs the JMS calls on the check's worker thread and waits for them until the deadline. JMS cannot bound a call
     * (each is bounded only by the provider's own timeout, Artemis {@code callTimeout} 30 s by default), so a run
     * that does not finish in time is left to finish on the worker, and until it does the next runs send nothing
     * and say so: the check never has more than one call in flight, nor more than one thread.
     */
    @Override
    public CheckResult check(CheckContext context) {
        Duration budget = context.ioTimeout(timeout);
        Work work;
        synchronized (lock) {
            if (closed) {
                return CheckResult.down("the check is closed");
            }
            Work previous = inFlight;
            if (previous != null && !previous.result.isDone()) {
                return CheckResult.down("no answer yet from the JMS broker to the " + previous.step + " sent "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - previous.stepAt) + " ms ago;"
                        + " not sending another");
            }
            work = new Work();
            inFlight = work;
            worker.execute(work);
        }
        try {
            return work.result.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return CheckResult.of(
                    Status.DOWN,
                    "no answer from the JMS broker to " + work.step + " within " + budget.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.down("interrupted while waiting for the JMS broker");
        } catch (java.util.concurrent.ExecutionException e) {
            return down(work.step, e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause()));
        }
    }

    /** One run's calls, on the worker. */
    private final class Work implements Runnable {
        private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
        private volatile String step = "createConnection";
        private volatile long stepAt = System.nanoTime();

        private void step(String name) {
            step = name;
            stepAt = System.nanoTime();
        }

        @Override
        public void run() {
            Connection c = null;
            try {
                c = connection();
                step("createSession");
                List<String> missing = new ArrayList<>();
                Session session = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                try {
                    for (String name : queues) {
                        step("browse of " + JmsText.clean(name));
                        try (QueueBrowser browser = session.createBrowser(session.createQueue(name))) {
                            browser.getEnumeration().hasMoreElements();
                        } catch (JMSException e) {
                            if (!missingDestination(e)) {
                                throw e;
                            }
                            missing.add("queue " + JmsText.clean(name) + " does not exist");
                        }
                    }
                } finally {
                    session.close();
                }
                var meta = c.getMetaData();
                Map<String, Object> data =
                        Map.of("provider", JmsText.clean(meta.getJMSProviderName() + " " + meta.getProviderVersion()));
                result.complete(
                        missing.isEmpty()
                                ? CheckResult.of(Status.UP, "connected to " + data.get("provider"))
                                        .withData(data)
                                : CheckResult.of(Status.DOWN, String.join("; ", missing))
                                        .withData(data));
            } catch (JMSException | RuntimeException e) {
                if (c != null) {
                    drop(c); // the next run connects afresh, and names why it cannot
                }
                result.completeExceptionally(e);
            } catch (Error t) {
                result.completeExceptionally(t);
                throw t;
            }
        }
    }

    /**
     * The spec's {@link InvalidDestinationException}, or a provider's own kind of it (Artemis answers a browser on
     * a missing queue with a plain {@code JMSException}: {@code There is no queue with name …}).
     */
    private static boolean missingDestination(JMSException e) {
        if (e instanceof InvalidDestinationException) {
            return true;
        }
        for (Throwable c = e.getCause() != null ? e.getCause() : e.getLinkedException();
                c != null;
                c = c.getCause() == c ? null : c.getCause()) {
            if (c.getClass().getSimpleName().contains("NonExistentQueue")) {
                return true;
            }
        }
        String m = e.getMessage();
        return m != null && m.startsWith("There is no queue with name "); // Artemis, when it links no cause
    }

    /** The kept connection, opened and started on the worker when there is none. */
    private Connection connection() throws JMSException {
        synchronized (lock) {
            if (connection != null) {
                return connection;
            }
        }
        Connection c = user == null ? factory.createConnection() : factory.createConnection(user, password);
        try {
            c.start();
        } catch (JMSException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        synchronized (lock) {
            if (!closed) {
                connection = c;
                return c;
            }
        }
        closeQuietly(c); // the check was closed while it connected
        throw new JMSException("the check is closed");
    }

    /** Forgets the connection and closes it (on the worker). */
    private void drop(Connection c) {
        synchronized (lock) {
            if (connection == c) {
                connection = null;
            }
        }
        closeQuietly(c);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException ignored) {
            // closing is best effort
        }
    }

    private static CheckResult down(String step, Exception e) {
        String message;
        if (e instanceof JMSSecurityException) {
            message = "the JMS broker refused the credentials: " + JmsText.describe(e);
        } else if ("createConnection".equals(step)) {
            message = "cannot connect to the JMS broker: " + JmsText.describe(e);
        } else {
            message = step + " failed: " + JmsText.describe(e);
        }
        return CheckResult.of(Status.DOWN, message).withError(Secrets.redacted(e));
    }

    /** Closes the kept connection. */
    @Override
    public void close() {
        Connection c;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            c = connection;
            connection = null;
        }
        worker.execute(
                () -> { // after a call still in flight, on the worker
                    if (c != null) {
                        closeQuietly(c);
                    }
                });
        worker.shutdown();
    }

    @Override
    public String toString() {
        return "JmsCheck[queues=" + queues + "]";
    }

    /** Configures a {@link JmsCheck}. Not thread-safe. */
    public static final class Builder {
        private final ConnectionFactory factory;
        private @Nullable String user;
        private @Nullable String password;
        private Duration timeout = Duration.ofSeconds(2);
        private final List<String> queues = new ArrayList<>();

        Builder(ConnectionFactory factory) {
            this.factory = factory;
        }

        /**
         * Bound of one run, default 2 s; the engine's time left bounds it too (the shorter wins).
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
         * Credentials for {@code createConnection(user, password)}; without them the factory's defaults are used.
         * Never shown.
         *
         * @param user     the user name
         * @param password the password
         * @return this builder
         */
        public Builder credentials(String user, String password) {
            this.user = Objects.requireNonNull(user, "user");
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /**
         * @param name a queue that must exist: browsed (never consumed from), DOWN when the provider says it does
         *             not exist
         * @return this builder
         * @throws IllegalArgumentException if blank
         */
        public Builder queue(String name) {
            queues.add(Require.notBlank(name, "queue"));
            return this;
        }

        /** @return the check */
        public JmsCheck build() {
            return new JmsCheck(this);
        }
    }
}
