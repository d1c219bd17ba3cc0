package io.vigil.health.kafka;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.internal.util.Require;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jspecify.annotations.Nullable;

/**
 * Checks a Kafka cluster through an {@link Admin} client, read-only: it never produces, consumes or joins a group.
 * Each run asks, in order; a probe waits for the answers at most the time the engine has left (at most the
 * {@linkplain Builder#timeout(Duration) timeout}) and then reports the check's own diagnosis. The calls get that time
 * as their Kafka {@code timeoutMs}, but at least 5 s (Kafka drops the connection of a call that times out in flight);
 * while a run is unanswered, later probes wait for it and ask nothing new:
 * <ol>
 *   <li>{@code describeCluster}: cluster id, live brokers, active controller. DOWN when no broker answers; DEGRADED
 *       when fewer brokers answer than {@link Builder#minBrokers(int)} or no controller is known.</li>
 *   <li>{@code describeTopics} for the {@linkplain Builder#requireTopics(String...) required topics}: DOWN naming
 *       each one that does not exist (or that the client may not describe).</li>
 *   <li>for each {@linkplain Builder#consumerLag(String, long, long) watched consumer group}, its committed offsets
 *       and the partitions' end offsets ({@code listConsumerGroupOffsets}, {@code listOffsets}): the group's lag,
 *       summed over its partitions, DEGRADED or DOWN above the thresholds; DEGRADED when the group has committed
 *       nothing.</li>
 * </ol>
 * Kafka's own diagnosis wins: a failed authentication, a missing authorization, an unknown topic are named in the
 * message; a call that gets no answer is DOWN naming the call. Data: {@code clusterId}, {@code brokers},
 * {@code controller} (the node id), {@code lag.<group>} per watched group. No address and no configuration value
 * ever reaches a message.
 *
 * <p>Two sources: {@link #builder(Admin)} uses the application's client and never closes it;
 * {@link #builder(Map)} creates one client of its own from a configuration on the first run (its bootstrap
 * servers, security settings) and closes it in {@link #close()}. Either way the check is one client, whatever the
 * number of probes: an {@code Admin} has one network thread and one connection per broker it talks to. Thread-safe;
 * asynchronous (no thread waits for Kafka); the check never throws.
 *
 * <pre>{@code
 * health.register("kafka", KafkaCheck.builder(admin)
 *         .minBrokers(3)
 *         .requireTopics("orders")
 *         .consumerLag("order-service", 10_000, 100_000)
 *         .build(), CheckPolicy.readiness());
 * }</pre>
 */
public final class KafkaCheck implements AsyncHealthCheck, AutoCloseable {
    private final Source source;
    private final Duration timeout;
    private final int minBrokers;
    private final List<String> topics;
    private final Map<String, LagLimit> lagLimits;

    private KafkaCheck(Builder b) {
        this.source = b.source;
        this.timeout = b.timeout;
        this.minBrokers = b.minBrokers;
        this.topics = List.copyOf(b.topics);
        this.lagLimits = Map.copyOf(b.lagLimits);
    }

    /**
     * @param admin the application's client; not closed by the check
     * @return a check with the defaults
     */
    public static KafkaCheck of(Admin admin) {
        return builder(admin).build();
    }

    /**
     * @param admin the application's client; not closed by the check
     * @return a builder: timeout 2 s, at least 1 broker, no topics, no consumer groups
     */
    public static Builder builder(Admin admin) {
        Objects.requireNonNull(admin, "admin");
        return new Builder(new Shared(admin));
    }

    /**
     * @param config the configuration of a client of the check's own ({@code bootstrap.servers}, security settings;
     *               the values are passed to {@link Admin#create(Map)} on the first run and never shown)
     * @return a builder: timeout 2 s, at least 1 broker, no topics, no consumer groups
     * @throws IllegalArgumentException if {@code bootstrap.servers} is missing
     */
    public static Builder builder(Map<String, ?> config) {
        Objects.requireNonNull(config, "config");
        if (!config.containsKey("bootstrap.servers")) {
            throw new IllegalArgumentException("config needs bootstrap.servers");
        }
        return new Builder(new Owned(Map.copyOf(config)));
    }

    /** The shortest Kafka {@code timeoutMs} of a call (see {@link Run}). */
    static final int CALL_TIMEOUT_FLOOR_MS = 5_000;

    /** The last run; while Kafka has not answered it, probes wait for it (written by the engine's one execution). */
    private volatile @Nullable Run unanswered;

    @Override
    public CheckKind kind() {
        return CheckKind.DEPENDENCY;
    }

    @Override
    public CompletionStage<CheckResult> checkAsync(CheckContext context) {
        Duration budget = context.ioTimeout(timeout);
        Run last = unanswered;
        if (last != null && !last.work.isDone()) {
            return last.awaitFor(budget); // Kafka has not answered the last run yet: wait for it, ask nothing new
        }
        Run run = new Run(budget);
        unanswered = run;
        return run.awaitFor(budget);
    }

    /**
     * The engine's deadline passed before this check answered (its own timer woken late): the call Kafka has not
     * answered, as the check itself reports it.
     */
    @Override
    public @Nullable String describeTimeout(CheckContext context) {
        Run last = unanswered;
        return last == null ? null : last.noAnswer();
    }

    /** Closes the check's own client, if it has one; the application's client is left alone. */
    @Override
    public void close() {
        source.close();
    }

    @Override
    public String toString() {
        return "KafkaCheck[" + source + ", topics=" + topics + ", groups=" + lagLimits.keySet() + "]";
    }

    /**
     * One run: the calls in sequence. A probe waits for them at most its budget and then reports the check's own
     * diagnosis; the calls themselves get at least {@link #CALL_TIMEOUT_FLOOR_MS} as their Kafka {@code timeoutMs}:
     * Kafka's admin client drops the connection of a call that times out in flight, so a budget shorter than one
     * round trip on a slow or loaded network would tear down every connection it just made and never see the cluster
     * again (KafkaOutageTest, after a black hole, on a loaded machine). While a run is unanswered, later probes wait
     * for it instead of asking again: at most one run in flight per check.
     */
    private final class Run {
        private final long started = System.nanoTime();
        private final long deadline;
        private final CompletableFuture<CheckResult> work;
        private volatile String step = "describeCluster";

        Run(Duration budget) {
            this.deadline = System.nanoTime() + budget.toNanos();
            CompletableFuture<CheckResult> w;
            try {
                w = cluster(source.admin());
            } catch (RuntimeException e) {
                w = CompletableFuture.failedFuture(e);
            }
            this.work = w;
        }

        /** @return this run's result as a probe with this budget sees it (its own copy: a timeout changes nothing shared) */
        CompletionStage<CheckResult> awaitFor(Duration budget) {
            return work.copy()
                    .orTimeout(budget.toNanos(), TimeUnit.NANOSECONDS)
                    .handle((r, t) -> t == null ? r : down(t, budget));
        }

        /** @return the diagnosis while Kafka has not answered: the call it waits for and for how long */
        String noAnswer() {
            return "no answer from Kafka to " + step + " within "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms";
        }

        private int timeLeftMs() {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            return (int) Math.max(CALL_TIMEOUT_FLOOR_MS, left);
        }

        private CompletableFuture<CheckResult> cluster(Admin admin) {
            var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeLeftMs()));
            CompletableFuture<String> id = stage(cluster.clusterId());
            CompletableFuture<Collection<Node>> live = stage(cluster.nodes());
            CompletableFuture<Node> active = stage(cluster.controller());
            return CompletableFuture.allOf(id, live, active).thenCompose(ignored -> {
                Collection<Node> nodes = live.join();
                Node controller = active.join();
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("clusterId", String.valueOf(id.join()));
                data.put("brokers", nodes.size());
                data.put("controller", controller == null || controller.isEmpty() ? -1 : controller.id());
                List<String> degraded = new ArrayList<>();
                if (nodes.size() < minBrokers) {
                    degraded.add(nodes.size() + " broker(s), fewer than the " + minBrokers + " required");
                }
                if (controller == null || controller.isEmpty()) {
                    degraded.add("no active controller");
                }
                return topics(admin).thenCompose(missing -> {
                    if (!missing.isEmpty()) {
                        return CompletableFuture.completedFuture(CheckResult.of(Status.DOWN, String.join("; ", missing))
                                .withData(data));
                    }
                    return lag(admin, data, degraded);
                });
            });
        }

        /** @return a message per required topic that is missing or not describable; empty when all exist */
        private CompletableFuture<List<String>> topics(Admin admin) {
            if (topics.isEmpty()) {
                return CompletableFuture.completedFuture(List.of());
            }
            step = "describeTopics";
            var described = admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(timeLeftMs()))
                    .topicNameValues();
            List<CompletableFuture<String>> each = new ArrayList<>();
            for (String topic : topics) {
                each.add(stage(Objects.requireNonNull(described.get(topic), "a future per topic asked"))
                        .handle((d, t) -> {
                            if (t == null) {
                                return null;
                            }
                            Throwable c = unwrap(t);
                            if (c instanceof UnknownTopicOrPartitionException) {
                                return "topic " + KafkaText.clean(topic) + " does not exist";
                            }
                            if (c instanceof AuthorizationException) {
                                return "not authorized to describe topic " + KafkaText.clean(topic);
                            }
                            throw t instanceof CompletionException x ? x : new CompletionException(c);
                        }));
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> each.stream()
                            .map(CompletableFuture::join)
                            .filter(Objects::nonNull)
                            .toList());
        }

        private CompletableFuture<CheckResult> lag(Admin admin, Map<String, Object> data, List<String> degraded) {
            if (lagLimits.isEmpty()) {
                return CompletableFuture.completedFuture(verdict(Status.UP, List.of(), degraded, data));
            }
            step = "listConsumerGroupOffsets";
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            lagLimits.keySet().forEach(g -> specs.put(g, new ListConsumerGroupOffsetsSpec()));
            var committed = admin.listConsumerGroupOffsets(
                    specs, new ListConsumerGroupOffsetsOptions().timeoutMs(timeLeftMs()));
            return stage(committed.all()).thenCompose(byGroup -> {
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                byGroup.values().forEach(m -> m.keySet().forEach(tp -> ends.put(tp, OffsetSpec.latest())));
                if (ends.isEmpty()) {
                    return CompletableFuture.completedFuture(lagVerdict(byGroup, Map.of(), data, degraded));
                }
                step = "listOffsets";
                return stage(admin.listOffsets(ends, new ListOffsetsOptions().timeoutMs(timeLeftMs()))
                                .all())
                        .thenApply(end -> lagVerdict(byGroup, end, data, degraded));
            });
        }

        private CheckResult lagVerdict(
                Map<String, Map<TopicPartition, OffsetAndMetadata>> byGroup,
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends,
                Map<String, Object> data,
                List<String> degraded) {
            List<String> down = new ArrayList<>();
            List<String> warn = new ArrayList<>(degraded);
            for (Map.Entry<String, LagLimit> e : new java.util.TreeMap<>(lagLimits).entrySet()) {
                String group = e.getKey();
                Map<TopicPartition, OffsetAndMetadata> offsets = byGroup.getOrDefault(group, Map.of());
                long lag = 0;
                boolean any = false;
                for (Map.Entry<TopicPartition, OffsetAndMetadata> o : offsets.entrySet()) {
                    var end = ends.get(o.getKey());
                    if (o.getValue() != null && end != null) {
                        lag += Math.max(0, end.offset() - o.getValue().offset());
                        any = true;
                    }
                }
                String name = KafkaText.clean(group);
                if (!any) {
                    warn.add("consumer group " + name + " has no committed offsets");
                    continue;
                }
                data.put("lag." + group, lag);
                LagLimit limit = e.getValue();
                if (lag > limit.downAbove()) {
                    down.add("consumer group " + name + " lags " + lag + " records (more than " + limit.downAbove()
                            + ")");
                } else if (lag > limit.degradedAbove()) {
                    warn.add("consumer group " + name + " lags " + lag + " records (more than " + limit.degradedAbove()
                            + ")");
                }
            }
            return verdict(down.isEmpty() ? Status.UP : Status.DOWN, down, warn, data);
        }

        private CheckResult verdict(Status status, List<String> down, List<String> warn, Map<String, Object> data) {
            if (status == Status.DOWN) {
                List<String> all = new ArrayList<>(down);
                all.addAll(warn);
                return CheckResult.of(Status.DOWN, String.join("; ", all)).withData(data);
            }
            if (!warn.isEmpty()) {
                return CheckResult.of(Status.DEGRADED, String.join("; ", warn)).withData(data);
            }
            return CheckResult.of(
                            Status.UP, "cluster " + data.get("clusterId") + ": " + data.get("brokers") + " broker(s)")
                    .withData(data);
        }

        private CheckResult down(Throwable t, Duration budget) {
            Throwable c = unwrap(t);
            String message;
            if (c instanceof TimeoutException || c instanceof org.apache.kafka.common.errors.TimeoutException) {
                message = "no answer from Kafka to " + step + " within " + budget.toMillis() + " ms";
            } else if (c instanceof AuthenticationException) {
                message = "Kafka rejected the client's authentication: " + KafkaText.describe(c);
            } else if (c instanceof AuthorizationException) {
                message = "Kafka refused " + step + ": " + KafkaText.describe(c);
            } else {
                message = step + " failed: " + KafkaText.describe(c);
            }
            return CheckResult.of(Status.DOWN, message).withError(KafkaText.redacted(c));
        }
    }

    /** A {@link KafkaFuture} as a stage (Kafka's own stage view refuses {@code toCompletableFuture}). */
    private static <T> CompletableFuture<T> stage(KafkaFuture<T> future) {
        CompletableFuture<T> f = new CompletableFuture<>();
        // the callback handles every outcome itself; the stage it returns is not needed
        var unused = future.whenComplete((v, t) -> {
            if (t == null) {
                f.complete(v);
            } else {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** A consumer group's thresholds, in records. */
    private record LagLimit(long degradedAbove, long downAbove) {}

    /** Where the client comes from. */
    private interface Source {
        Admin admin();

        void close();
    }

    private record Shared(Admin admin) implements Source {
        @Override
        public void close() {
            // the application's client
        }

        @Override
        public String toString() {
            return "application's Admin client";
        }
    }

    /** One client of the check's own, created on first use; never more than one. */
    private static final class Owned implements Source {
        private final Map<String, Object> config;
        private final Object lock = new Object();
        private @Nullable Admin admin; // guarded by lock
        private boolean closed; // guarded by lock

        /** Connection set-up bounds of the check's own client (Kafka's defaults: 10,000 and 30,000 ms). */
        static final int SETUP_TIMEOUT_MS = 2_000;

        static final int SETUP_TIMEOUT_MAX_MS = 5_000;

        Owned(Map<String, Object> config) {
            this.config = config;
        }

        @Override
        public Admin admin() {
            synchronized (lock) {
                if (closed) {
                    throw new IllegalStateException("the check is closed");
                }
                if (admin == null) {
                    Map<String, Object> c = new HashMap<>(config);
                    c.putIfAbsent("client.id", "vigil-health-kafka");
                    // A probe's call gives up within the registration's seconds; the client's connection set-up must
                    // not wait longer than that either. Kafka's defaults (10 s, backing off to 30 s) keep a connection
                    // accepted by a black hole for up to 30 s after the network returns, so the check stayed DOWN that
                    // long after an outage (KafkaOutageTest, under load). The application's own values win.
                    c.putIfAbsent("socket.connection.setup.timeout.ms", SETUP_TIMEOUT_MS);
                    c.putIfAbsent("socket.connection.setup.timeout.max.ms", SETUP_TIMEOUT_MAX_MS);
                    admin = Admin.create(c);
                }
                return admin;
            }
        }

        @Override
        public void close() {
            Admin a;
            synchronized (lock) {
                closed = true;
                a = admin;
                admin = null;
            }
            if (a != null) {
                a.close(Duration.ofSeconds(5));
            }
        }

        @Override
        public String toString() {
            return "own Admin client";
        }
    }

    /** Configures a {@link KafkaCheck}. Not thread-safe. */
    public static final class Builder {
        private final Source source;
        private Duration timeout = Duration.ofSeconds(2);
        private int minBrokers = 1;
        private final List<String> topics = new ArrayList<>();
        private final Map<String, LagLimit> lagLimits = new HashMap<>();

        Builder(Source source) {
            this.source = source;
        }

        /**
         * Bound of one run, all calls together, default 2 s; the engine's time left bounds it too (the shorter
         * wins). Each call gets what is left of it as its Kafka {@code timeoutMs}.
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
         * @param value live brokers below which the check is DEGRADED (e.g. the replication factor), default 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder minBrokers(int value) {
            minBrokers = Require.atLeast(value, 1, "minBrokers");
            return this;
        }

        /**
         * @param names topics that must exist; the check is DOWN naming each one missing
         * @return this builder
         * @throws IllegalArgumentException if a name is blank
         */
        public Builder requireTopics(String... names) {
            for (String n : names) {
                topics.add(Require.notBlank(n, "topic"));
            }
            return this;
        }

        /**
         * Watches a consumer group's lag: the records its committed offsets are behind the end of its partitions,
         * summed.
         *
         * @param group         the group id
         * @param degradedAbove lag above which the check is DEGRADED
         * @param downAbove     lag above which the check is DOWN; at least {@code degradedAbove}
         * @return this builder
         * @throws IllegalArgumentException if a threshold is negative or {@code downAbove < degradedAbove}
         */
        public Builder consumerLag(String group, long degradedAbove, long downAbove) {
            Require.notBlank(group, "group");
            if (degradedAbove < 0 || downAbove < degradedAbove) {
                throw new IllegalArgumentException(
                        "need 0 <= degradedAbove <= downAbove, got " + degradedAbove + " and " + downAbove);
            }
            lagLimits.put(group, new LagLimit(degradedAbove, downAbove));
            return this;
        }

        /** @return the check */
        public KafkaCheck build() {
            return new KafkaCheck(this);
        }
    }
}
