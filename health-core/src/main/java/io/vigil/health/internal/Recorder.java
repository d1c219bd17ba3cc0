package io.vigil.health.internal;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interprets the results of one check: flap damping ({@link Damper}), the circuit breaker ({@link Breaker}), the
 * history and the events. It knows nothing of threads or executions: it is handed a produced result and returns
 * the entry to report. Thresholds and the breaker agree: the breaker counts <em>reported</em> failures in a row, so a
 * failure the thresholds tolerate never opens it. Not thread-safe: every method but {@link #snapshot()} is called
 * under the runner's lock.
 */
final class Recorder {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    private final String name;
    private final Damper damper;
    private final Breaker breaker;
    private final CheckHistory history;
    private final EventBus events;
    private final Clock clock;
    private final LongSupplier transitionSequence;
    private final Views views;
    private final AtomicLong recorded;
    /**
     * The builder of recorded entries, reused: records happen under the runner's lock, and each sets every field
     * (name, criticality and kind never change), so no value of an earlier entry leaks into a later one.
     */
    private final CheckEntry.Builder entry;

    private String lastMessage = ""; // the check's last message and its redaction: most checks repeat theirs
    private String lastRedacted = "";
    private int reportedFailures; // failures in a row that were reported DOWN: what the breaker counts
    /** Latest recorded result with its cached view and monotonic time; read without locking on the hot path. */
    private volatile @Nullable Snapshot snapshot;

    /** A recorded result; its cached view is made when first served (never, for a check with no cache). */
    static final class Snapshot {
        final CheckEntry fresh;
        final long at;
        private @Nullable CheckEntry cached; // racy but idempotent: every thread computes an equal immutable view

        Snapshot(CheckEntry fresh, long at) {
            this.fresh = fresh;
            this.at = at;
        }

        CheckEntry cached() {
            CheckEntry c = cached;
            if (c == null) {
                c = fresh.asCached();
                cached = c;
            }
            return c;
        }
    }

    /**
     * @param recorded advanced after every recorded result (shared by the engine's runners): a version stamp, so
     *                 whoever memoised entries can tell in constant time that none of them changed
     */
    Recorder(
            String name,
            CheckPolicy policy,
            CheckHistory history,
            EventBus events,
            Clock clock,
            LongSupplier transitionSequence,
            Views views,
            AtomicLong recorded) {
        this.recorded = recorded;
        this.name = name;
        this.damper = new Damper(policy.failureThreshold(), policy.successThreshold());
        this.breaker = new Breaker(policy.breakerFailures(), policy.breakerBackoff());
        this.history = history;
        this.events = events;
        this.clock = clock;
        this.transitionSequence = transitionSequence;
        this.views = views;
        this.entry = views.base(
                Status.DOWN, Cause.NEVER_RUN, "", Map.of(), Duration.ZERO, false, null, BreakerState.CLOSED, null);
    }

    /** @return the latest recorded result, or {@code null}; read without locking */
    @Nullable
    Snapshot snapshot() {
        return snapshot;
    }

    /** @return the latest recorded entry, or {@code null}; read without locking */
    @Nullable
    CheckEntry last() {
        Snapshot s = snapshot;
        return s == null ? null : s.fresh;
    }

    /**
     * @param now ticker nanos
     * @return nanoseconds until the breaker lets a call through; 0 when it does now
     */
    long breakerWait(long now) {
        return breaker.waitNanos(now);
    }

    /** A call goes through the breaker (an open one whose backoff passed makes it its trial). */
    void beginCall() {
        publish(breaker.beginCall());
    }

    /**
     * Records a produced result. Never throws: whatever happens, the caller can finish the execution in flight.
     *
     * @param r     what the check produced (a timeout is a DOWN result with cause TIMEOUT)
     * @param cause why
     * @param took  how long it ran
     * @param now   ticker nanos
     * @return the entry to report
     */
    CheckEntry record(CheckResult r, Cause cause, Duration took, long now) {
        try {
            return recordUnsafe(r, cause, took, now);
        } catch (RuntimeException e) {
            LOG.atWarn()
                    .addKeyValue("check", name)
                    .setCause(Secrets.redacted(e))
                    .log("recording a health check result failed");
            return views.base(
                            Status.DOWN,
                            Cause.EXCEPTION,
                            "recording the result failed",
                            Map.of(),
                            took,
                            false,
                            null,
                            breaker.state(),
                            null)
                    .build();
        }
    }

    private CheckEntry recordUnsafe(CheckResult r, Cause cause, Duration took, long now) {
        Status before = damper.reported();
        Damper.Verdict v = damper.record(r.status(), redacted(r.message()));
        if (r.status() != Status.DOWN) {
            reportedFailures = 0;
            publish(breaker.onSuccess());
        } else if (v.status() == Status.DOWN) {
            reportedFailures++;
            publish(breaker.onFailure(now, reportedFailures));
        } // a failure the thresholds tolerate: the breaker does not hear of it
        Instant at = clock.instant();
        history.record(v.status(), r.status(), cause, at, transitionSequence);
        CheckEntry status = entry.status(v.status())
                .cause(cause)
                .message(v.message())
                .data(r.data())
                .duration(took)
                .cached(false)
                .checkedAt(at)
                .breaker(breaker.state())
                .retryAfter(breaker.retryAfter())
                .since(history.since())
                .lastSuccess(history.lastSuccess())
                .consecutiveFailures(damper.consecutiveFailures())
                .build();
        snapshot = new Snapshot(status, now);
        recorded.incrementAndGet(); // after the write: a reader that saw the old stamp sees it move
        if (events.wants(EventBus.Kind.CHECK_EVALUATED)) {
            events.publish(EventBus.Kind.CHECK_EVALUATED, l -> l.onCheckEvaluated(status));
        }
        if (before != v.status()) {
            events.publish(EventBus.Kind.CHECK_TRANSITION, l -> l.onCheckTransition(before, status));
        }
        return status;
    }

    /** Redacts a message, once per distinct message in a row: redaction is a pure function of the text. */
    private String redacted(String message) {
        if (!message.equals(lastMessage)) {
            lastRedacted = Secrets.redact(message);
            lastMessage = message;
        }
        return lastRedacted;
    }

    /** @return the breaker's state */
    BreakerState breakerState() {
        return breaker.state();
    }

    private void publish(Breaker.@Nullable Transition t) {
        if (t != null) {
            events.publish(EventBus.Kind.BREAKER_TRANSITION, l -> l.onBreakerTransition(name, t.from(), t.to()));
        }
    }
}
