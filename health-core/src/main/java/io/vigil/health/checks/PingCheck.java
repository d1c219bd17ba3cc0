package io.vigil.health.checks;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;

/**
 * Always UP: proves the process answers HTTP at all. The classic liveness baseline. Non-blocking: it runs on the
 * probing caller's thread.
 */
public final class PingCheck implements HealthCheck {
    /** Creates the check; it holds no state of its own. */
    public PingCheck() {}

    private static final CheckResult UP = CheckResult.up();

    @Override
    public CheckResult check() {
        return UP;
    }

    /** @return {@code true}: it reads nothing */
    @Override
    public boolean nonBlocking() {
        return true;
    }
}
