package io.vigil.health;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one evaluation covers: one probe, every registered check, or a named group. A value: equal scopes evaluate
 * the same checks under the same rules. Every check ({@link #all()}) and groups follow the readiness rules
 * (locks, start-up and draining apply); a probe follows its own.
 */
public final class Scope {
    /** The three kinds of scope. */
    public enum Kind {
        /** One Kubernetes probe: {@link Scope#probe()} says which. */
        PROBE,
        /** Every registered check (the base path), under the readiness rules. */
        ALL,
        /** A named group of checks ({@link Scope#group()}), under the readiness rules. */
        GROUP
    }

    private static final Scope ALL = new Scope(Kind.ALL, null, null);
    private static final Scope LIVENESS = new Scope(Kind.PROBE, Probe.LIVENESS, null);
    private static final Scope READINESS = new Scope(Kind.PROBE, Probe.READINESS, null);
    private static final Scope STARTUP = new Scope(Kind.PROBE, Probe.STARTUP, null);

    private final Kind kind;
    private final @Nullable Probe probe;
    private final @Nullable String group;

    private Scope(Kind kind, @Nullable Probe probe, @Nullable String group) {
        this.kind = kind;
        this.probe = probe;
        this.group = group;
    }

    /** @return the scope of every registered check */
    public static Scope all() {
        return ALL;
    }

    /**
     * @param probe a probe
     * @return the scope of the checks registered on it
     */
    public static Scope of(Probe probe) {
        return switch (Objects.requireNonNull(probe, "probe")) {
            case LIVENESS -> LIVENESS;
            case READINESS -> READINESS;
            case STARTUP -> STARTUP;
        };
    }

    /**
     * @param name a group name
     * @return the scope of the checks registered in that group
     */
    public static Scope group(String name) {
        return new Scope(Kind.GROUP, null, Objects.requireNonNull(name, "name"));
    }

    /** @return probe, all or group */
    public Kind kind() {
        return kind;
    }

    /** @return the probe of a {@link Kind#PROBE} scope, otherwise {@code null} */
    public @Nullable Probe probe() {
        return probe;
    }

    /** @return the group name of a {@link Kind#GROUP} scope, otherwise {@code null} */
    public @Nullable String group() {
        return group;
    }

    /** @return the probe whose rules (locks, start-up, draining) apply: readiness for every check and for groups */
    public Probe rules() {
        return probe != null ? probe : Probe.READINESS; // a probe iff kind is PROBE
    }

    /**
     * @param policy a registered check's policy
     * @return whether the check belongs to this scope
     */
    public boolean selects(CheckPolicy policy) {
        return switch (kind) {
            case PROBE -> policy.probes().contains(probe);
            case ALL -> true;
            case GROUP -> policy.groups().contains(group);
        };
    }

    /**
     * @return the label used in logs and metric tags: the probe's label ({@code readiness}), {@code all} or
     *         {@code group:<name>}
     */
    public String label() {
        if (probe != null) {
            return probe.label();
        }
        return group != null ? "group:" + group : "all";
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof Scope s && s.kind == kind && s.probe == probe && Objects.equals(s.group, group);
    }

    @Override
    public int hashCode() {
        // no varargs array: scopes are map keys on every probe
        return (31 * kind.hashCode() + Objects.hashCode(probe)) * 31 + Objects.hashCode(group);
    }

    /** @return {@link #label()} */
    @Override
    public String toString() {
        return label();
    }
}
