package io.vigil.health.endpoint;

import io.vigil.health.Probe;
import io.vigil.health.Scope;
import org.jspecify.annotations.Nullable;

/**
 * What a path asks to evaluate: one probe, one named group, or every check (both {@code null}).
 *
 * @param probe the probe, or {@code null}
 * @param group the group name, or {@code null}
 */
record Route(@Nullable Probe probe, @Nullable String group) {
    static final Route ALL = new Route(null, null);
    static final Route LIVE = new Route(Probe.LIVENESS, null);
    static final Route READY = new Route(Probe.READINESS, null);
    static final Route STARTED = new Route(Probe.STARTUP, null);

    /**
     * @param scope a scope
     * @return the route that evaluates it
     */
    static Route of(Scope scope) {
        return switch (scope.kind()) {
            case PROBE -> new Route(scope.probe(), null);
            case ALL -> ALL;
            case GROUP -> new Route(null, scope.group());
        };
    }

    /** @return what to evaluate; for a group, call only once the group is known to exist */
    Scope scope() {
        return probe != null ? Scope.of(probe) : group != null ? Scope.group(group) : Scope.all();
    }
}
