package io.vigil.health.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.vigil.health.Scope;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Every open {@code Watch} stream, grouped by the service name watched. A <em>round</em> re-evaluates each
 * watched target once, however many streams watch it, and offers the result to them; rounds run every watch period
 * and whenever the engine reports a change (a transition, a lock, the license, start-up, draining). Requests for a
 * round while one runs are folded into one more round.
 */
final class WatchHub implements ServerCallHandler<HealthCheckRequest, HealthCheckResponse> {
    private static final Status SHUT_DOWN = Status.UNAVAILABLE.withDescription("the health service is shut down");

    private final ServiceNames names;
    private @Nullable Evaluations evaluations; // set once, right after construction
    private final Set<WatchStream> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<WatchStream>> byName = new ConcurrentHashMap<>();
    private final Map<Scope, Answer> latest = new ConcurrentHashMap<>();
    private final AtomicInteger rounds = new AtomicInteger(); // 0 idle, 1 running, 2 running and asked again
    private volatile boolean closed;

    WatchHub(ServiceNames names) {
        this.names = names;
    }

    void use(Evaluations value) {
        evaluations = value;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public ServerCall.Listener<HealthCheckRequest> startCall(
            ServerCall<HealthCheckRequest, HealthCheckResponse> call, Metadata headers) {
        WatchStream s = new WatchStream(call, this);
        open.add(s);
        if (closed) { // checked after adding, so close() either sees the stream or the stream sees closed
            s.complete(SHUT_DOWN, false);
        } else {
            call.request(2);
        }
        return s;
    }

    /** A stream's request arrived: sends it the current status, from the last evaluation or a new one. */
    void watch(WatchStream s) {
        String name = Objects.requireNonNull(s.name(), "a stream is watched once its request named the service");
        byName.compute(name, (k, set) -> { // atomic with forget(), which drops a set it empties
            Set<WatchStream> streams = set == null ? ConcurrentHashMap.newKeySet() : set;
            streams.add(s);
            return streams;
        });
        if (closed) {
            s.complete(SHUT_DOWN, false);
            return;
        }
        Scope t = names.resolve(name);
        if (t == null) {
            s.offer(Answer.UNKNOWN_SERVICE);
            return;
        }
        Answer a = latest.get(t);
        if (a != null) {
            s.offer(a);
        } else {
            // its end offers the answer to every watcher of the target, this one too
            var unused = evaluations().evaluate(t, false);
        }
    }

    private Evaluations evaluations() {
        return Objects.requireNonNull(evaluations, "set right after construction");
    }

    void forget(WatchStream s) {
        open.remove(s);
        String n = s.name();
        if (n != null) {
            byName.computeIfPresent(n, (k, set) -> {
                set.remove(s);
                return set.isEmpty() ? null : set;
            });
        }
    }

    /** Sink of every finished evaluation: remembers it and offers it to the target's watchers. */
    void evaluated(Scope target, Answer answer) {
        latest.put(target, answer);
        for (Map.Entry<String, Set<WatchStream>> e : byName.entrySet()) {
            if (target.equals(names.resolve(e.getKey()))) {
                for (WatchStream s : e.getValue()) {
                    s.offer(answer);
                }
            }
        }
    }

    /** Asks for a round; never blocks. */
    void requestRound() {
        if (!closed && rounds.getAndUpdate(s -> s == 0 ? 1 : 2) == 0) {
            startRound();
        }
    }

    private void startRound() {
        CompletableFuture<Void> f;
        try {
            f = round();
        } catch (RuntimeException e) {
            f = CompletableFuture.completedFuture(null);
        }
        // the callback handles every outcome itself; the stage it returns is not needed
        var unused = f.whenComplete((v, e) -> {
            if (rounds.getAndUpdate(s -> s == 2 ? 1 : 0) == 2 && !closed) {
                startRound();
            }
        });
    }

    /**
     * One round: every watched name is resolved again (a group may have appeared or gone), each distinct target is
     * evaluated once.
     *
     * @return done when every evaluation of the round is
     */
    CompletableFuture<Void> round() {
        Set<Scope> targets = new HashSet<>();
        for (Map.Entry<String, Set<WatchStream>> e : byName.entrySet()) {
            Scope t = names.resolve(e.getKey());
            if (t == null) {
                e.getValue().forEach(s -> s.offer(Answer.UNKNOWN_SERVICE));
            } else {
                targets.add(t);
            }
        }
        latest.keySet().retainAll(targets); // what nobody watches is not kept to be served later as current
        List<CompletableFuture<?>> running = new ArrayList<>(targets.size());
        for (Scope t : targets) {
            running.add(evaluations().evaluate(t, true));
        }
        return CompletableFuture.allOf(running.toArray(CompletableFuture[]::new))
                .handle((v, e) -> null);
    }

    /** Completes every stream at once (NOT_SERVING, then UNAVAILABLE) and refuses new ones. */
    void close() {
        closed = true;
        for (WatchStream s : List.copyOf(open)) {
            s.complete(SHUT_DOWN, true);
        }
    }
}
