package io.vigil.health;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A check whose client is asynchronous anyway (Lettuce, {@code HttpClient.sendAsync}, a reactive driver): it starts
 * its call and returns a stage instead of blocking. The engine calls {@link #checkAsync(CheckContext)} on the
 * probing thread, holds no thread of its own while the dependency is silent, and at the registration's timeout
 * reports DOWN ({@code TIMEOUT}). Single flight, caching, thresholds and the breaker work as for any check: a stage
 * still running past the timeout keeps the check's one execution busy until it completes, and evaluations meanwhile
 * fail with "still running", as for a hung blocking check, but without a thread.
 *
 * <p><b>Cancellation.</b> The engine never cancels the stage a check returns unless the check says it owns it
 * ({@link #cancelOnTimeout()}, {@code false} by default): a check may return a stage it shares with the application
 * (a warm-up future, a cached connection attempt), and cancelling that would break the application itself. A check
 * that starts a fresh call per evaluation (an HTTP exchange, a Redis command) returns {@code true}, so the call is
 * abandoned at the deadline.
 *
 * <p>{@code checkAsync} must return quickly: a start that overruns the timeout is DOWN once, logged once at WARN,
 * and from then on started on an engine thread. A stage completing exceptionally, or with {@code null}, is DOWN.
 *
 * <pre>{@code
 * health.register("search", (AsyncHealthCheck) context -> client.sendAsync(request, discarding())
 *         .thenApply(r -> r.statusCode() == 200 ? CheckResult.up() : CheckResult.down("HTTP " + r.statusCode())));
 * }</pre>
 */
@FunctionalInterface
public interface AsyncHealthCheck extends HealthCheck {

    /**
     * Starts looking at the thing once, without blocking.
     *
     * @param context the evaluation's deadline; derive I/O timeouts from {@link CheckContext#remaining()}
     * @return the result to come; completing exceptionally or with {@code null} counts as DOWN
     */
    CompletionStage<CheckResult> checkAsync(CheckContext context);

    /**
     * Whether the stage {@link #checkAsync(CheckContext)} returns belongs to this check alone, so that the engine may
     * cancel it when the registration's timeout passes. Return {@code true} only when every call returns a stage made
     * for that call; never for a stage shared with the application.
     *
     * @return {@code false} by default: the engine leaves the stage alone and waits for it to complete
     */
    default boolean cancelOnTimeout() {
        return false;
    }

    /**
     * Blocking bridge for code that calls the check itself (a test, a CLI); the engine never calls it. Waits for the
     * stage until the context's deadline and cancels it then.
     *
     * @param context the deadline
     * @return the result
     * @throws Exception what the stage failed with, or {@link TimeoutException} at the deadline
     */
    @Override
    default CheckResult check(CheckContext context) throws Exception {
        CompletableFuture<CheckResult> f = checkAsync(context).toCompletableFuture();
        try {
            return f.get(context.remaining().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | InterruptedException e) {
            f.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) {
                throw x;
            }
            throw e;
        } catch (CancellationException e) {
            throw new TimeoutException("cancelled");
        }
    }

    /**
     * Blocking bridge with the default policy's timeout (1 s); the engine never calls it.
     *
     * @return the result
     * @throws Exception as {@link #check(CheckContext)}
     */
    @Override
    @SuppressWarnings("FunctionalInterfaceMethodChanged") // by design: an asynchronous check is also a HealthCheck
    default CheckResult check() throws Exception {
        return check(CheckContext.within(CheckPolicy.defaults().timeout()));
    }
}
