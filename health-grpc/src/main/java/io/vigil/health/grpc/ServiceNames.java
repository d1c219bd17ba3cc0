package io.vigil.health.grpc;

import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps the {@code service} field of a health request to a {@link Scope}: {@code ""} is the whole server (every
 * check, readiness rules, like the HTTP base path), {@code readiness}, {@code liveness} and {@code startup} are the
 * probes, {@code group/<name>} is a group with at least one check, and configured aliases stand for one of those.
 * Everything else is unknown.
 */
final class ServiceNames {
    static final String GROUP_PREFIX = "group/";
    /** Longer names are never known: nothing is looked up or kept for them. */
    static final int MAX_LENGTH = 1024;

    private final HealthRegistry registry;
    private final Map<String, Scope> aliases;

    ServiceNames(HealthRegistry registry, Map<String, Scope> aliases) {
        this.registry = registry;
        this.aliases = Map.copyOf(aliases);
    }

    /**
     * @param name the requested service name
     * @return its target, or {@code null} when the name is unknown now (a group may appear later)
     */
    @Nullable
    Scope resolve(String name) {
        if (name.length() > MAX_LENGTH) {
            return null;
        }
        Scope t = builtIn(name);
        if (t == null) {
            t = aliases.get(name);
        }
        return t != null && (t.group() == null || registry.hasGroup(t.group())) ? t : null; // a group scope has a name
    }

    /** @return the built-in meaning of a name, or {@code null} when it has none */
    static @Nullable Scope builtIn(String name) {
        return switch (name) {
            case "" -> Scope.all();
            case "readiness" -> Scope.of(Probe.READINESS);
            case "liveness" -> Scope.of(Probe.LIVENESS);
            case "startup" -> Scope.of(Probe.STARTUP);
            default ->
                name.startsWith(GROUP_PREFIX) && name.length() > GROUP_PREFIX.length()
                        ? Scope.group(name.substring(GROUP_PREFIX.length()))
                        : null;
        };
    }
}
