package io.vigil.health.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic task of a background-refreshed check: each tick starts an execution (unless one is in flight) on the
 * check's lane, or on the overflow lane, and has the timer enforce its deadline. The timer's thread never runs a
 * check itself; a tick that finds no thread at all abandons its execution ({@code REJECTED}, nothing recorded), so a
 * refresh that keeps finding none turns the check {@code STALE}.
 */
final class BackgroundRefresh implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CheckRunner.class);

    private final CheckRunner runner;
    private final ScheduledExecutorService timer;

    BackgroundRefresh(CheckRunner runner, ScheduledExecutorService timer) {
        this.runner = runner;
        this.timer = timer;
    }

    @Override
    public void run() {
        try {
            CheckRunner.Start s = runner.begin(runner.ticker().read(), false);
            Execution e = s.execution();
            if (!s.isNew() || e == null) {
                return;
            }
            if (!e.handOff(runner.lane()) && !e.handOff(runner.overflow())) {
                runner.expireNow(e);
                return;
            }
            if (!e.isDone()) {
                // the expiry needs no handle: it checks the execution's state itself and cannot throw past the timer
                var unused = timer.schedule(
                        () -> runner.expire(e), Math.max(0, e.deadline.remainingNanos()), TimeUnit.NANOSECONDS);
            }
        } catch (Throwable t) { // NOPMD: the periodic task must survive anything, or refresh stops for good
            LOG.atWarn()
                    .addKeyValue("check", runner.name())
                    .addKeyValue("error", t.getClass().getName())
                    .log("background refresh of a health check failed");
        }
    }
}
