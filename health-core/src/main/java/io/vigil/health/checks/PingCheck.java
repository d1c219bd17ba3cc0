package io.vigil.health.checks;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;

/** Always UP: proves the process answers HTTP at all. The classic liveness baseline. */
public final class PingCheck implements HealthCheck {
    private static final CheckResult UP = CheckResult.up();

    @Override
    public CheckResult check() {
        return UP;
    }
}
