package io.vigil.health.internal;

import io.vigil.health.CheckEntry;
import io.vigil.health.Scope;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One probe's evaluation of its checks: which are served from the cache, which executions it starts or joins, who
 * runs them, and its wait for each until that execution's deadline. One object per probe, used by the probing thread
 * only, and made only when the cache cannot serve every check ({@link #serveCached}). Its steps: {@link #collect},
 * then {@link #run()}; {@link #compact} makes the report's list.
 */
final class Evaluation {
    /** How long a probe lets one thread run its new executions in turn before offering threads for the rest. */
    private static final long BATCH_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final List<CheckRunner> all;
    private final io.vigil.health.Ticker ticker;
    private final CheckEntry[] results;
    private CheckRunner.Start @Nullable [] pending; // by registration index: the executions started or joined
    private int pooled; // new executions for the lanes
    private boolean interrupted;

    /**
     * @param all     the registered runners
     * @param ticker  the engine's ticker
     * @param results the entries {@link #serveCached} served; this evaluation fills in the rest
     */
    Evaluation(List<CheckRunner> all, io.vigil.health.Ticker ticker, CheckEntry[] results) {
        this.all = all;
        this.ticker = ticker;
        this.results = results;
    }

    /**
     * The cheap path, before any evaluation object exists: serves every selected check the cache can.
     *
     * @param all      the registered runners
     * @param scope    what to evaluate
     * @param excluded names left out
     * @param now      ticker nanos
     * @param results  where to put the entries, by registration index (unselected ones stay {@code null})
     * @return whether every selected check was served
     */
    static boolean serveCached(
            List<CheckRunner> all, Scope scope, Collection<String> excluded, long now, CheckEntry[] results) {
        boolean complete = true;
        for (int i = 0; i < results.length; i++) {
            CheckRunner r = all.get(i);
            if (selects(r, scope, excluded)) {
                results[i] = r.cached(now);
                complete &= results[i] != null;
            }
        }
        return complete;
    }

    private static boolean selects(CheckRunner r, Scope scope, Collection<String> excluded) {
        return scope.selects(r.policy()) && (excluded.isEmpty() || !excluded.contains(r.name()));
    }

    /**
     * Starts (or joins) an execution for every selected check the cache did not serve.
     *
     * @param scope    what to evaluate
     * @param excluded names left out
     */
    void collect(Scope scope, Collection<String> excluded) {
        long now = ticker.read();
        int n = all.size();
        pending = new CheckRunner.Start[n];
        for (int i = 0; i < n; i++) {
            CheckRunner r = all.get(i);
            if (results[i] != null || !selects(r, scope, excluded)) {
                continue;
            }
            CheckRunner.Start st = r.begin(now, true);
            pending[i] = st;
            if (st.isNew() && st.execution() != null && !st.execution().onCaller) {
                pooled++;
            }
        }
    }

    /** Hands the pooled executions to their lanes, runs the inline ones, and waits for every answer. */
    void run() {
        if (pending == null) {
            return;
        }
        dispatch();
        runInline();
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] != null) {
                CheckEntry s = await(pending[i]);
                if (s == null) {
                    interrupted = true;
                    s = all.get(i).interrupted();
                }
                results[i] = s;
            }
        }
    }

    /**
     * Runs on this thread the non-blocking executions it started or joined that no thread has started yet: the
     * probe is waiting for them anyway. One it joined that is still queued past its deadline (its own caller is busy
     * elsewhere) is abandoned and replaced by a fresh one of this probe. An interrupted caller runs none: it hands
     * them to the lanes instead, so its interrupt never reaches a check and it records nothing.
     */
    private void runInline() {
        if (pending == null) {
            return;
        }
        boolean callerInterrupted = Thread.currentThread().isInterrupted();
        for (int i = 0; i < pending.length; i++) {
            Execution e = pending[i] == null ? null : pending[i].execution();
            if (e == null || !e.onCaller || !e.queued()) {
                continue;
            }
            if (callerInterrupted) {
                e.dispatch();
                continue;
            }
            if (e.deadline.passed()) {
                e.runner.expire(e);
                pending[i] = e.runner.begin(ticker.read(), true);
                e = pending[i].execution();
                if (e == null || !e.onCaller) {
                    if (e != null && pending[i].isNew()) {
                        e.dispatch();
                    }
                    continue;
                }
            }
            e.runOnCaller();
        }
    }

    /**
     * Hands new pooled executions to threads, per lane: one {@link Batch} per lane (a probe touches at most two, the
     * shared and the liveness lane), or the execution itself when there is only one.
     */
    private void dispatch() {
        if (pooled == 0 || pending == null) {
            return;
        }
        Batch first = null;
        Batch second = null;
        for (CheckRunner.Start s : pending) {
            if (s == null || !s.isNew() || s.execution() == null || s.execution().onCaller) {
                continue;
            }
            Execution e = s.execution();
            if (pooled == 1) {
                e.dispatch();
                return;
            }
            if (first == null) {
                first = new Batch(e.runner.lane(), e.runner.overflow(), pooled);
            }
            if (first.lane() == e.runner.lane()) {
                first.add(e);
            } else {
                if (second == null) {
                    second = new Batch(e.runner.lane(), e.runner.overflow(), pooled);
                }
                second.add(e);
            }
        }
        if (first == null) {
            return; // every new execution was on the caller
        }
        first.start();
        if (second != null) {
            second.start();
        }
        long grace = System.nanoTime() + BATCH_GRACE_NANOS;
        boolean firstDone = first.await(grace); // both wait, even when the first is late
        boolean secondDone = second == null || second.await(grace);
        boolean finished = firstDone && secondDone;
        if (!finished) {
            first.spread();
            if (second != null) {
                second.spread();
            }
        }
        first.overflow();
        if (second != null) {
            second.overflow();
        }
    }

    /**
     * Waits for an entry until its execution's deadline, then expires the execution, after which its future is done
     * by construction (the runner completes it under its lock): every wait is bounded, with no grace period.
     *
     * @return the entry, or {@code null} when the caller was interrupted (its flag is set again)
     */
    private static @Nullable CheckEntry await(CheckRunner.Start s) {
        CompletableFuture<CheckEntry> f = s.future();
        CheckEntry done = f.getNow(null);
        if (done != null) {
            return done;
        }
        Execution e = s.execution();
        if (e == null) {
            return null; // a served start is complete
        }
        long remaining = e.deadline.remainingNanos();
        try {
            if (remaining > 0) {
                return f.get(remaining, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | ExecutionException x) {
            // expire below
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            return null; // this caller's own problem: it expires nothing and interrupts nothing
        }
        e.runner.expire(e);
        return f.getNow(null);
    }

    /** @return whether the caller was interrupted: the report is its own view */
    boolean interrupted() {
        return interrupted || Thread.currentThread().isInterrupted();
    }

    /**
     * @param results the entries by registration index, {@code null} for unselected checks; compacted in place
     * @return the selected entries in registration order; the list is the report's own (copied once)
     */
    static List<CheckEntry> compact(CheckEntry[] results) {
        int n = results.length;
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (results[i] != null) {
                results[k++] = results[i];
            }
        }
        return List.of(k == n ? results : Arrays.copyOf(results, k));
    }
}
