package io.vigil.health.internal;

import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Secrets;
import io.vigil.health.Ticker;
import io.vigil.health.spi.LicenseCheck;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the license check like a check: on a thread of its own, at most one call in flight, at most once per TTL
 * (monotonic time), and a probe waits for it at most until the call's timeout; once that has passed, probes answer
 * at once. A call that has not answered in time leaves the last known state for one more TTL, then the state is
 * INVALID ("license check timed out"); with no known state it is INVALID at once.
 *
 * <p>A call that fails or answers INVALID starts a <em>grace</em>: a license file renewed in place is torn between
 * truncate and write, a network mount fails a read now and then, and a restart loop must not follow from either.
 * During the grace (one TTL from the first bad answer) the last VALID or EXPIRING state stands, the call is
 * retried every {@link #RETRY} (or TTL, if shorter), a WARN is logged once and every answer served from the grace
 * is counted ({@link #graceAnswers()}). A good answer ends the grace; a bad one after it is INVALID for a TTL.
 */
final class LicenseMonitor implements AutoCloseable {
    /** How soon a bad answer is re-checked during the grace. */
    static final Duration RETRY = Duration.ofSeconds(1);

    private static final Logger LOG = LoggerFactory.getLogger("io.vigil.health.license");
    private final @Nullable LicenseCheck check;
    private final Ticker ticker;
    private final long ttlNanos;
    private final long timeoutNanos;
    private final long retryNanos;
    private final EventBus events;
    private final @Nullable ThreadPoolExecutor thread;
    private final LongAdder graceAnswers = new LongAdder();
    private volatile @Nullable Known known;
    private @Nullable Call inFlight; // guarded by this
    private @Nullable LicenseState good; // guarded by this: the last VALID or EXPIRING answer
    private @Nullable Long badSince; // guarded by this: ticker time of the first bad answer since the last good one

    /** A state to serve until {@code until} (ticker); {@code at} is when it was answered. */
    private record Known(LicenseState state, long at, long until) {}

    private record Call(CompletableFuture<LicenseState> result, long deadline) {}

    LicenseMonitor(@Nullable LicenseCheck check, Ticker ticker, Duration ttl, Duration timeout, EventBus events) {
        this.check = check;
        this.ticker = ticker;
        this.ttlNanos = ttl.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.retryNanos = Math.min(ttlNanos, RETRY.toNanos());
        this.events = events;
        if (check == null) {
            this.thread = null;
        } else {
            // one thread; a call queues only behind the previous one finishing (single flight starts no other)
            this.thread = new ThreadPoolExecutor(
                    1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), new NamedThreads("vigil-health-license"));
            this.thread.allowCoreThreadTimeOut(true);
        }
    }

    @Nullable
    LicenseState current() {
        LicenseCheck c = check;
        ThreadPoolExecutor t = thread;
        if (c == null || t == null) { // both or neither
            return null;
        }
        long now = ticker.read();
        Known k = known;
        if (k != null && now - k.until < 0) {
            return k.state;
        }
        Call call = start(c, t);
        long left = call.deadline - System.nanoTime();
        LicenseState s = null;
        try {
            s = left > 0 ? call.result.get(left, TimeUnit.NANOSECONDS) : call.result.getNow(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return k == null ? LicenseState.invalid("probe interrupted before the license was checked") : k.state;
        } catch (ExecutionException | TimeoutException e) {
            // timed out below
        }
        if (s != null) {
            return s;
        }
        if (k != null && now - k.at < 2 * ttlNanos) {
            return k.state; // the call hangs: the last known state holds for one more TTL
        }
        return record(
                LicenseState.invalid(
                        "license check timed out after " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"),
                now + ttlNanos);
    }

    /** Starts a call unless one is in flight; returns the one in flight. */
    private synchronized Call start(LicenseCheck c, ThreadPoolExecutor t) {
        if (inFlight != null) {
            return inFlight;
        }
        Call call = new Call(new CompletableFuture<>(), System.nanoTime() + timeoutNanos);
        inFlight = call;
        try {
            t.execute(() -> run(c, call));
        } catch (RejectedExecutionException e) { // closed: the last known state stands
            inFlight = null;
            Known k = known;
            call.result.complete(
                    k != null
                            ? k.state
                            : record(LicenseState.invalid("license check could not run"), ticker.read() + ttlNanos));
        }
        return call;
    }

    private void run(LicenseCheck c, Call call) {
        LicenseState next;
        try {
            next = Objects.requireNonNull(c.check(), "license check returned null");
        } catch (Throwable t) { // NOPMD: a license check must never take the engine down
            next = LicenseState.invalid(Secrets.describe(t));
        }
        LicenseState recorded = answer(next);
        synchronized (this) {
            inFlight = null;
        }
        call.result.complete(recorded);
    }

    /** Records a call's answer, applying the grace to a bad one; returns the state to serve. */
    private synchronized LicenseState answer(LicenseState next) {
        long now = ticker.read();
        if (next.validity() != LicenseValidity.INVALID) {
            if (next.validity() != LicenseValidity.EXPIRED) {
                good = next;
            }
            badSince = null;
            return record(next, now + ttlNanos);
        }
        Long since = badSince;
        boolean first = since == null;
        if (since == null) {
            since = now;
            badSince = since;
        }
        if (now - since >= ttlNanos) {
            return record(next, now + ttlNanos); // bad for a whole TTL: it is what it says
        }
        if (good == null) {
            return record(next, now + retryNanos); // nothing to keep, but look again soon
        }
        if (first) {
            LOG.atWarn()
                    .addKeyValue("license", next.message())
                    .addKeyValue("keeping", good.validity())
                    .log(
                            "license check answered INVALID ({}); keeping the last good state for up to {} s while"
                                    + " retrying every {} ms (a license file replaced in place, an unreadable mount?)",
                            next.message(),
                            TimeUnit.NANOSECONDS.toSeconds(ttlNanos),
                            TimeUnit.NANOSECONDS.toMillis(retryNanos));
        }
        graceAnswers.increment();
        return record(good, now + retryNanos);
    }

    /** @return how many bad license answers were replaced by the last good state (a grace), in total */
    long graceAnswers() {
        return graceAnswers.sum();
    }

    private synchronized LicenseState record(LicenseState next, long until) {
        Known before = known;
        known = new Known(next, ticker.read(), until);
        if (before == null || before.state.validity() != next.validity()) {
            LicenseState from = before == null ? null : before.state;
            events.publish(EventBus.Kind.LICENSE_TRANSITION, l -> l.onLicenseTransition(from, next));
        }
        return next;
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdown();
        }
    }
}
