package io.vigil.health.internal;

import io.vigil.health.Scope;

/** Which conditions beyond its checks apply to a scope (the outcome table of docs/reports.md). */
public enum Semantics {
    /** Liveness: no locks, no start-up, no draining; the license only when configured. */
    LIVENESS(false, false, false),
    /** Readiness, the base path and groups: every condition applies. */
    READINESS(true, true, true),
    /** Startup: not-started applies; locks and draining do not. */
    STARTUP(false, true, false);

    final boolean locks;
    final boolean startup;
    final boolean draining;

    Semantics(boolean locks, boolean startup, boolean draining) {
        this.locks = locks;
        this.startup = startup;
        this.draining = draining;
    }

    /**
     * @param scope a scope
     * @return the conditions that apply to it
     */
    public static Semantics of(Scope scope) {
        return switch (scope.rules()) {
            case LIVENESS -> LIVENESS;
            case READINESS -> READINESS;
            case STARTUP -> STARTUP;
        };
    }
}
