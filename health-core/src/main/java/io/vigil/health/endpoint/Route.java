package io.vigil.health.endpoint;

import io.vigil.health.Probe;

/**
 * What a path asks to evaluate: one probe, one named group, or every check (both {@code null}).
 *
 * @param probe the probe, or {@code null}
 * @param group the group name, or {@code null}
 */
record Route(Probe probe, String group) {
    static final Route ALL = new Route(null, null);
    static final Route LIVE = new Route(Probe.LIVENESS, null);
    static final Route READY = new Route(Probe.READINESS, null);
    static final Route STARTED = new Route(Probe.STARTUP, null);
}
