package io.vigil.health.internal;

import io.vigil.health.AsyncHealthCheck;
import io.vigil.health.Cause;
import io.vigil.health.CheckContext;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Secrets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check's call for an {@link Execution}: blocking (on a lane's thread or on a probing caller's), or
 * asynchronous (the call starts a stage and holds no thread). It claims the execution, never starts one past its
 * deadline, turns whatever the check does into a produced result and hands it to the runner; interpreting the result
 * is the {@link Recorder}'s job. A check that overruns its timeout on a caller's thread is moved to the engine's
 * threads for good ("demoted"): no caller runs it again.
 */
final class Invocation {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    private final String name;
    private final HealthCheck check;
    private final CheckPolicy policy;
    private final Slot slot;
    /** The check as an asynchronous one, or {@code null}: its executions start a stage and hold no thread. */
    private final @Nullable AsyncHealthCheck async;
    /** Declared non-blocking (policy or check): executions for probes run on the caller's thread until demoted. */
    private final boolean declaredInline;
    /**
     * Whether the check has words for a timeout ({@link HealthCheck#describeTimeout} overridden): only then is the
     * call's context kept on the execution. Keeping it always made the context escape, and an inline probe paid
     * 24 B per check for it (AllocationBudgetTest, 10 checks inline: 5,783 → 6,023 B) that escape analysis had
     * removed.
     */
    private final boolean describesTimeout;

    private final AtomicBoolean demoted = new AtomicBoolean();

    Invocation(String name, HealthCheck check, CheckPolicy policy, Slot slot) {
        this.name = name;
        this.check = check;
        this.policy = policy;
        this.slot = slot;
        this.async = check instanceof AsyncHealthCheck a ? a : null;
        // an asynchronous check only starts its call on the caller's thread
        this.declaredInline = policy.nonBlocking() || check.nonBlocking() || async != null;
        this.describesTimeout = describesTimeout(check);
    }

    private static boolean describesTimeout(HealthCheck check) {
        try {
            return check.getClass()
                            .getMethod("describeTimeout", CheckContext.class)
                            .getDeclaringClass()
                    != HealthCheck.class;
        } catch (NoSuchMethodException | SecurityException e) {
            return true; // cannot tell: keep the context, the words are worth more than 24 bytes
        }
    }

    /** @return whether executions for probes run on the caller's thread (declared non-blocking, not demoted) */
    boolean inline() {
        return declaredInline && !demoted.get();
    }

    /** Moves the check off callers' threads for good; the first time, says so at WARN. */
    void demote(String why) {
        if (demoted.compareAndSet(false, true)) {
            LOG.atWarn()
                    .addKeyValue("check", name)
                    .addKeyValue("timeoutMs", policy.timeout().toMillis())
                    .log("a health check " + why + "; it runs on the engine's threads from now on");
        }
    }

    /**
     * Claims and runs the execution, unless another thread claimed it or its deadline passed (then it is abandoned:
     * never started, never a failure).
     *
     * @param e            the execution
     * @param callerThread whether this is a probing caller's thread rather than a lane's
     */
    void run(Execution e, boolean callerThread) {
        CheckRunner runner = e.runner;
        if (e.deadline.passed()) {
            runner.expire(e); // still queued at its deadline: abandoned, not run late
            return;
        }
        if (!e.start()) {
            return;
        }
        if (async != null) {
            startAsync(e, callerThread);
            return;
        }
        if (e.ownsSlot) {
            slot.enter(callerThread);
        }
        long began = System.nanoTime();
        CheckResult r;
        Cause cause = Cause.REPORTED;
        VirtualMachineError fatal = null;
        try {
            CheckContext context = CheckContext.within(e.deadline.budget());
            if (describesTimeout) {
                e.context = context;
            }
            r = check.check(context);
            if (r == null) {
                r = CheckResult.down("check returned no result");
                cause = Cause.EXCEPTION;
            }
        } catch (Throwable t) { // NOPMD: a check must never take the engine down with it
            LOG.atDebug()
                    .addKeyValue("check", name)
                    .setCause(Secrets.redacted(t))
                    .log("health check threw");
            r = CheckResult.down(Secrets.describe(t));
            cause = Cause.EXCEPTION;
            if (t instanceof VirtualMachineError vme) {
                fatal = vme;
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        // the caller's own interrupt (not one the engine sent at a deadline): it records nothing
        boolean callerInterrupted =
                callerThread && Thread.currentThread().isInterrupted() && !(e.ownsSlot && slot.interruptedByEngine());
        if (callerThread && took.compareTo(policy.timeout()) > 0) {
            // a caller's thread ran it past its timeout: the result comes too late, and no caller runs it again
            r = CheckResult.down("took " + took.toMillis() + " ms on the caller's thread, over its timeout of "
                    + policy.timeout().toMillis() + " ms");
            cause = Cause.TIMEOUT;
            demote("overran its timeout on a caller's thread");
        }
        if (!runner.finish(e, r, cause, took, callerInterrupted)) {
            LOG.atDebug()
                    .addKeyValue("check", name)
                    .addKeyValue("durationMs", took.toMillis())
                    .log("late result of a timed-out health check ignored");
        }
        if (fatal != null && !callerThread) {
            throw fatal; // after cleanup: the runner is clean, the JVM's own handling still sees the error
        }
    }

    /**
     * Starts an asynchronous check's stage; whoever completes the stage records the result. The slot stays taken
     * until the stage itself completes, so a stage still running past the deadline is "still running" without a
     * thread. The engine cancels the stage at the deadline only if the check owns it ({@link
     * AsyncHealthCheck#cancelOnTimeout()}): a stage shared with the application is never cancelled.
     */
    private void startAsync(Execution e, boolean callerThread) {
        AsyncHealthCheck async = Objects.requireNonNull(this.async, "only an asynchronous check starts a stage");
        long began = System.nanoTime();
        CompletionStage<CheckResult> stage;
        try {
            CheckContext context = CheckContext.within(e.deadline.budget());
            if (describesTimeout) {
                e.context = context;
            }
            stage = async.checkAsync(context);
        } catch (Throwable t) { // NOPMD: a check must never take the engine (or the caller) down with it
            finishAsync(e, null, t, began);
            return;
        }
        long startNanos = System.nanoTime() - began;
        if (callerThread && startNanos > policy.timeout().toNanos()) {
            demote("took " + TimeUnit.NANOSECONDS.toMillis(startNanos) + " ms to start its asynchronous call");
        }
        if (stage == null) {
            finishAsync(e, null, null, began);
            return;
        }
        if (async.cancelOnTimeout()) {
            try {
                e.stage = stage.toCompletableFuture();
            } catch (UnsupportedOperationException ex) {
                // a stage that cannot be cancelled: the deadline still frees its waiters
            }
        }
        stage.whenComplete((r, t) -> finishAsync(e, r, t, began));
        if (e.isDone()) {
            cancel(e); // timed out while starting
        }
    }

    private void finishAsync(Execution e, @Nullable CheckResult result, @Nullable Throwable failure, long began) {
        Duration took = Duration.ofNanos(System.nanoTime() - began);
        CheckResult r = result;
        Cause cause = Cause.REPORTED;
        if (failure != null) {
            Throwable t =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            LOG.atDebug()
                    .addKeyValue("check", name)
                    .setCause(Secrets.redacted(t))
                    .log("health check failed");
            r = CheckResult.down(t instanceof CancellationException ? "cancelled" : Secrets.describe(t));
            cause = Cause.EXCEPTION;
        } else if (r == null) {
            r = CheckResult.down("check returned no result");
            cause = Cause.EXCEPTION;
        }
        e.runner.finish(e, r, cause, took, false);
    }

    /**
     * The check's own words for a timed-out execution ({@link HealthCheck#describeTimeout}), asked on the thread that
     * noticed the deadline; {@code null} if the check has none, or throws (the runner then words it generically).
     */
    @Nullable
    String timeoutWords(Execution e) {
        CheckContext context = e.context;
        if (context != null) {
            try {
                String words = check.describeTimeout(context);
                if (words != null && !words.isBlank()) {
                    return words;
                }
            } catch (RuntimeException | LinkageError t) { // the generic message instead, never a failed probe
                LOG.atDebug()
                        .addKeyValue("check", name)
                        .setCause(Secrets.redacted(t))
                        .log("describeTimeout threw");
            }
        }
        return null;
    }

    /** Cancels the stage of a timed-out execution, if the check owns it. */
    static void cancel(Execution e) {
        CompletableFuture<?> st = e.stage;
        if (st != null) {
            st.cancel(true);
        }
    }
}
