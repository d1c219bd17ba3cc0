package io.vigil.health.jdbc;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Counters of a connection pool at one moment.
 *
 * @param active  connections lent out
 * @param idle    connections ready to lend
 * @param total   open connections (active + idle)
 * @param waiting threads waiting for a connection
 * @param max     the pool's maximum size
 */
record PoolStats(int active, int idle, int total, int waiting, int max) {

    /** @return connections that could still be lent without waiting: {@code max - active}, never negative */
    int available() {
        return Math.max(0, max - active);
    }

    /**
     * Every connection is lent out, so borrowing would queue behind the application's threads. A pool that is
     * still growing (or failing to connect) is not exhausted: borrowing then tells whether the database answers.
     *
     * @return whether {@code active >= max}
     */
    boolean exhausted() {
        return max > 0 && active >= max;
    }

    /** @return connections a borrower could get now: idle ones plus the room the pool has to grow */
    int free() {
        return idle + Math.max(0, max - total);
    }

    /**
     * Whether a check's borrow would compete with the application: nothing is free, or the application's waiting
     * threads would take every free connection (so a check never takes the last free one while they wait).
     *
     * @return {@code free == 0 || waiting > 0 && free <= waiting}
     */
    boolean contended() {
        return max > 0 && (free() == 0 || (waiting > 0 && free() <= waiting));
    }

    /**
     * The result a check reports instead of borrowing from a pool it would exhaust or compete for.
     *
     * @param notDone what the check leaves undone, e.g. {@code "query not run"}
     * @param data    the result's data (the pool counters among them)
     * @return a DEGRADED result, or {@code null} when borrowing is fine
     */
    @Nullable
    CheckResult refusal(String notDone, Map<String, Object> data) {
        if (exhausted()) {
            return CheckResult.of(Status.DEGRADED, "connection pool exhausted (" + describe() + "); " + notDone)
                    .withData(data);
        }
        if (contended()) {
            return CheckResult.of(
                            Status.DEGRADED,
                            "connection pool busy (" + describe() + "); " + notDone
                                    + ", not competing with the application for the last free connection")
                    .withData(data);
        }
        return null;
    }

    /**
     * @param minAvailable fraction of {@link #max} that should be available
     * @return whether fewer connections than that are available
     */
    boolean saturated(double minAvailable) {
        return max > 0 && available() < minAvailable * max;
    }

    /** @return data entries {@code pool.active}, {@code pool.idle}, {@code pool.total}, {@code pool.waiting}, {@code pool.max} */
    Map<String, Object> data() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pool.active", active);
        d.put("pool.idle", idle);
        d.put("pool.total", total);
        d.put("pool.waiting", waiting);
        d.put("pool.max", max);
        return d;
    }

    /** @return e.g. {@code "9 of 10 connections in use, 2 threads waiting"} */
    String describe() {
        return active + " of " + max + " connections in use, " + waiting + (waiting == 1 ? " thread" : " threads")
                + " waiting";
    }
}
