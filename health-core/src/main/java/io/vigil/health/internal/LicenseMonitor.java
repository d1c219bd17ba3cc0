package io.vigil.health.internal;

import io.vigil.health.LicenseState;
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

/**
 * Runs the license check like a check: on a thread of its own, at most one call in flight, at most once per TTL
 * (monotonic time), and a probe waits for it at most until the call's timeout; once that has passed, probes answer
 * at once. A call that has not answered in time leaves the last known state for one more TTL, then the state is
 * INVALID ("license check timed out"); with no known state it is INVALID at once.
 */
final class LicenseMonitor implements AutoCloseable {
    private final LicenseCheck check;
    private final Ticker ticker;
    private final long ttlNanos;
    private final long timeoutNanos;
    private final EventBus events;
    private final ThreadPoolExecutor thread;
    private volatile Known known;
    private Call inFlight; // guarded by this

    private record Known(LicenseState state, long at) {
    }

    private record Call(CompletableFuture<LicenseState> result, long deadline) {
    }

    LicenseMonitor(LicenseCheck check, Ticker ticker, Duration ttl, Duration timeout, EventBus events) {
        this.check = check;
        this.ticker = ticker;
        this.ttlNanos = ttl.toNanos();
        this.timeoutNanos = timeout.toNanos();
        this.events = events;
        if (check == null) {
            this.thread = null;
        } else {
            // one thread; a call queues only behind the previous one finishing (single flight starts no other)
            this.thread = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    new NamedThreads("vigil-health-license"));
            this.thread.allowCoreThreadTimeOut(true);
        }
    }

    LicenseState current() {
        if (check == null) {
            return null;
        }
        long now = ticker.read();
        Known k = known;
        if (k != null && now - k.at < ttlNanos) {
            return k.state;
        }
        Call call = start(now);
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
        return record(LicenseState.invalid("license check timed out after "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
    }

    /** Starts a call unless one is in flight; returns the one in flight. */
    private synchronized Call start(long now) {
        if (inFlight != null) {
            return inFlight;
        }
        Call call = new Call(new CompletableFuture<>(), System.nanoTime() + timeoutNanos);
        inFlight = call;
        try {
            thread.execute(() -> run(call));
        } catch (RejectedExecutionException e) { // closed: the last known state stands
            inFlight = null;
            Known k = known;
            call.result.complete(k != null ? k.state : record(LicenseState.invalid("license check could not run")));
        }
        return call;
    }

    private void run(Call call) {
        LicenseState next;
        try {
            next = Objects.requireNonNull(check.check(), "license check returned null");
        } catch (Throwable t) { // NOPMD: a license check must never take the engine down
            next = LicenseState.invalid(Secrets.describe(t));
        }
        LicenseState recorded = record(next);
        synchronized (this) {
            inFlight = null;
        }
        call.result.complete(recorded);
    }

    private synchronized LicenseState record(LicenseState next) {
        Known before = known;
        known = new Known(next, ticker.read());
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
