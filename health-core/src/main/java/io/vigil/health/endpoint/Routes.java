package io.vigil.health.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps a decoded path, relative to the mount root, to the {@link Route} it names: the base path and its
 * {@code /live}, {@code /ready}, {@code /started}, {@code /group/{name}}; the root aliases {@code /livez},
 * {@code /readyz}, {@code /healthz}, {@code /$liveness}, {@code /$readiness}; the configured path aliases; each also
 * under a version prefix. One trailing slash is ignored. Immutable.
 */
final class Routes {
    private static final String[] PROBE_TAILS = {"/live", "/ready", "/started"};

    private final String basePath;
    /** The mount-root aliases every handler serves. */
    static final List<String> ROOT_ALIASES = List.of("/livez", "/readyz", "/healthz", "/$liveness", "/$readiness");

    private final Set<String> prefixes;
    private final Map<String, Route> aliases;

    /**
     * @param basePath e.g. {@code /health}, or {@code ""} for the mount root
     * @param prefixes single path segments, e.g. {@code R4}
     */
    Routes(String basePath, Set<String> prefixes) {
        this.basePath = basePath;
        this.prefixes = Set.copyOf(prefixes);
        this.aliases = Map.of();
    }

    /**
     * @param basePath e.g. {@code /health}, or {@code ""} for the mount root
     * @param prefixes single path segments, e.g. {@code R4}
     * @param aliases  further exact paths (decoded, from the mount root, like {@code /ready}) and what they name
     * @throws IllegalArgumentException if an alias is a path that already names something else
     */
    Routes(String basePath, Set<String> prefixes, Map<String, Route> aliases) {
        this.basePath = basePath;
        this.prefixes = Set.copyOf(prefixes);
        this.aliases = checked(new Routes(basePath, prefixes), aliases);
    }

    private static Map<String, Route> checked(Routes builtIn, Map<String, Route> aliases) {
        for (Map.Entry<String, Route> a : aliases.entrySet()) {
            Route existing = builtIn.resolve(a.getKey());
            if (existing != null && !existing.equals(a.getValue())) {
                throw new IllegalArgumentException("path alias " + a.getKey() + " is already the route to "
                        + existing.scope().label());
            }
        }
        return Map.copyOf(aliases);
    }

    /**
     * @param decodedPath a percent-decoded path starting with {@code /}
     * @return the route, or {@code null} for a path that names none
     */
    @Nullable
    Route resolve(String decodedPath) {
        String p = decodedPath;
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (!prefixes.isEmpty() && p.length() > 1) {
            int second = p.indexOf('/', 1);
            String first = second < 0 ? p.substring(1) : p.substring(1, second);
            if (prefixes.contains(first)) {
                p = second < 0 ? "/" : p.substring(second);
            }
        }
        Route alias = aliases.get(p);
        if (alias != null) {
            return alias;
        }
        Route k8s = switch (p) {
            case "/livez", "/$liveness" -> Route.LIVE;
            case "/readyz", "/$readiness" -> Route.READY;
            case "/healthz" -> Route.ALL;
            default -> null;
        };
        if (k8s != null) {
            return k8s;
        }
        String rest;
        if (basePath.isEmpty()) {
            rest = p.equals("/") ? "" : p;
        } else if (p.equals(basePath)) {
            rest = "";
        } else if (p.startsWith(basePath) && p.charAt(basePath.length()) == '/') {
            rest = tail(p, basePath.length());
        } else {
            return null;
        }
        return switch (rest) {
            case "" -> Route.ALL;
            case "/live" -> Route.LIVE;
            case "/ready" -> Route.READY;
            case "/started" -> Route.STARTED;
            default -> group(rest);
        };
    }

    private static @Nullable Route group(String rest) {
        if (!rest.startsWith("/group/")) {
            return null;
        }
        String g = rest.substring(7);
        return g.isEmpty() || g.indexOf('/') >= 0 ? null : new Route(null, g);
    }

    /**
     * @return the path patterns a transport that routes by path must send here, in servlet url-pattern syntax: the
     *     base path and everything under it, the mount-root aliases, the path aliases, and everything under each
     *     version prefix
     */
    List<String> mountPatterns() {
        List<String> m = new ArrayList<>();
        m.add(basePath.isEmpty() ? "/*" : basePath + "/*");
        m.addAll(ROOT_ALIASES);
        m.addAll(aliases.keySet().stream().sorted().toList());
        prefixes.stream().sorted().forEach(prefix -> m.add("/" + prefix + "/*"));
        return List.copyOf(m);
    }

    /** @return the base path, e.g. {@code /health}, or {@code ""} */
    String basePath() {
        return basePath;
    }

    /**
     * @param decodedPath a percent-decoded path starting with {@code /}
     * @return the configured version prefix it starts with, e.g. {@code R4}, or {@code null}
     */
    @Nullable
    String prefixOf(String decodedPath) {
        if (prefixes.isEmpty() || decodedPath.length() < 2) {
            return null;
        }
        int second = decodedPath.indexOf('/', 1);
        String first = second < 0 ? decodedPath.substring(1) : decodedPath.substring(1, second);
        return prefixes.contains(first) ? first : null;
    }

    /** {@code p.substring(from)}, without allocating for the probe paths. */
    private static String tail(String p, int from) {
        for (String t : PROBE_TAILS) {
            if (p.length() - from == t.length() && p.startsWith(t, from)) {
                return t;
            }
        }
        return p.substring(from);
    }
}
