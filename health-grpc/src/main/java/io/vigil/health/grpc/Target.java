package io.vigil.health.grpc;

import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import java.util.Objects;
import java.util.Set;

/**
 * What a gRPC service name stands for: the whole server (every check, readiness semantics, like the HTTP base
 * path), one probe, or one named group.
 *
 * @param kind  which of the three
 * @param probe the probe, for {@link Kind#PROBE}
 * @param group the group name, for {@link Kind#GROUP}
 */
record Target(Kind kind, Probe probe, String group) {
    static final Target SERVER = new Target(Kind.SERVER, null, null);

    /** The three kinds of target. */
    enum Kind {
        /** Every check, with readiness semantics. */
        SERVER,
        /** One probe. */
        PROBE,
        /** One named group, with readiness semantics. */
        GROUP
    }

    static Target of(Probe probe) {
        return new Target(Kind.PROBE, Objects.requireNonNull(probe, "probe"), null);
    }

    static Target group(String name) {
        return new Target(Kind.GROUP, null, Objects.requireNonNull(name, "group"));
    }

    /** @return whether the registry can evaluate this target now (a group exists while a check belongs to it) */
    boolean exists(HealthRegistry registry) {
        return kind != Kind.GROUP || registry.hasGroup(group);
    }

    /** Evaluates the target; blocks for at most the longest check timeout of the target. */
    HealthReport evaluate(HealthRegistry registry) {
        return switch (kind) {
            case SERVER -> registry.evaluateAll(Set.of());
            case PROBE -> registry.evaluate(probe);
            case GROUP -> registry.evaluateGroup(group, Set.of());
        };
    }
}
