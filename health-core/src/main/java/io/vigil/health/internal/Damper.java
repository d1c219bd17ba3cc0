package io.vigil.health.internal;

import io.vigil.health.Status;
import org.jspecify.annotations.Nullable;

/**
 * Flap damping, like kubelet's failure and success thresholds: decides the status to report from the status a
 * check produced and the streak behind it. Not thread-safe: its runner guards it.
 */
final class Damper {
    private final int failureThreshold;
    private final int successThreshold;
    private int failures;
    private int successes;
    private @Nullable Status reported; // null before the first result

    /** What to report: the status, and the message (the check's own, or one that explains the damping). */
    record Verdict(Status status, String message) {}

    Damper(int failureThreshold, int successThreshold) {
        this.failureThreshold = failureThreshold;
        this.successThreshold = successThreshold;
    }

    /**
     * @param produced what the check produced (a timeout or an exception counts as DOWN)
     * @param message  its message
     * @return the verdict to report
     */
    Verdict record(Status produced, String message) {
        Status before = reported;
        if (produced == Status.DOWN) {
            failures++;
            successes = 0;
            boolean down = before == null || before == Status.DOWN || failures >= failureThreshold;
            Status next = down || before == null ? Status.DOWN : before; // before is null only when down
            reported = next;
            return new Verdict(
                    next, down ? message : "tolerated failure " + failures + "/" + failureThreshold + ": " + message);
        }
        successes++;
        failures = 0;
        boolean recovered = before != Status.DOWN || successes >= successThreshold;
        Status next = recovered ? produced : Status.DOWN;
        reported = next;
        return new Verdict(next, recovered ? message : "recovering, success " + successes + "/" + successThreshold);
    }

    /** @return the status reported last, or {@code null} before the first result */
    @Nullable
    Status reported() {
        return reported;
    }

    /** @return failures in a row (0 after a success) */
    int consecutiveFailures() {
        return failures;
    }
}
