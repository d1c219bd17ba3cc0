package io.vigil.health.internal;

import io.vigil.health.CheckPolicy;
import io.vigil.health.Probe;
import java.util.function.Predicate;

/**
 * What one evaluation covers: a label for reports, logs and metric tags, the conditions that apply, and which
 * registered checks belong to it.
 */
public record Scope(String label, Semantics semantics, Predicate<CheckPolicy> selects) {

    private static final Scope ALL = new Scope("all", Semantics.READINESS, p -> true);
    private static final Scope[] PROBES = {
        new Scope("liveness", Semantics.LIVENESS, p -> p.probes().contains(Probe.LIVENESS)),
        new Scope("readiness", Semantics.READINESS, p -> p.probes().contains(Probe.READINESS)),
        new Scope("startup", Semantics.STARTUP, p -> p.probes().contains(Probe.STARTUP)),
    };

    /** @return the scope of every check, with readiness semantics */
    public static Scope all() {
        return ALL;
    }

    /**
     * @param probe a probe
     * @return its scope
     */
    public static Scope of(Probe probe) {
        return PROBES[probe.ordinal()];
    }

    /**
     * @param name group name
     * @return the group's scope, with readiness semantics
     */
    public static Scope group(String name) {
        return new Scope("group:" + name, Semantics.READINESS, p -> p.groups().contains(name));
    }
}
