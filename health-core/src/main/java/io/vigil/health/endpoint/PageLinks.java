package io.vigil.health.endpoint;

import io.vigil.health.Probe;
import java.util.EnumMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The status page's links to the other pages, relative to the request's own path, so that they survive a reverse
 * proxy that strips or adds a prefix and keep the version prefix the page was asked under ({@code /R4/$readiness}
 * links to {@code health/live}, which resolves to {@code /R4/health/live}).
 */
final class PageLinks {

    private PageLinks() {}

    /**
     * @param rawPath     the request's raw path, starting with {@code /}
     * @param basePath    e.g. {@code /health}, or {@code ""}
     * @param prefix      the version prefix the request used, or {@code null}
     * @return probe → relative link
     */
    static Map<Probe, String> probes(String rawPath, String basePath, @Nullable String prefix) {
        Map<Probe, String> links = new EnumMap<>(Probe.class);
        for (Probe p : Probe.values()) {
            links.put(p, relative(rawPath, root(prefix) + encodePath(basePath) + tail(p)));
        }
        return links;
    }

    /** @return the relative link to the page of every check */
    static String all(String rawPath, String basePath, @Nullable String prefix) {
        return relative(rawPath, root(prefix) + (basePath.isEmpty() ? "/" : encodePath(basePath)));
    }

    private static String tail(Probe p) {
        return switch (p) {
            case LIVENESS -> "/live";
            case READINESS -> "/ready";
            case STARTUP -> "/started";
        };
    }

    private static String root(@Nullable String prefix) {
        return prefix == null ? "" : "/" + encode(prefix);
    }

    /**
     * @param from   a raw absolute path (the page's)
     * @param target an absolute path whose segments are already encoded
     * @return a relative reference from {@code from} to {@code target}
     */
    static String relative(String from, String target) {
        String dir = from.substring(0, from.lastIndexOf('/') + 1);
        String[] d = dir.substring(1).split("/", -1); // the last element is always empty: dir ends with '/'
        int dirs = d.length - 1;
        String[] t = target.substring(1).split("/", -1);
        int common = 0;
        while (common < dirs && common < t.length - 1 && d[common].equals(t[common])) {
            common++;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < dirs; i++) {
            sb.append("../");
        }
        for (int i = common; i < t.length; i++) {
            sb.append(t[i]);
            if (i < t.length - 1) {
                sb.append('/');
            }
        }
        if (sb.length() == 0) {
            return "./";
        }
        int colon = sb.indexOf(":");
        int slash = sb.indexOf("/");
        return colon >= 0 && (slash < 0 || colon < slash) ? "./" + sb : sb.toString();
    }

    private static String encodePath(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (String segment : path.split("/", -1)) {
            if (sb.length() > 0 || !segment.isEmpty()) {
                sb.append('/').append(encode(segment));
            }
        }
        return sb.toString();
    }

    /** Percent-encodes what a path segment may not hold literally. */
    private static String encode(String segment) {
        StringBuilder sb = new StringBuilder(segment.length());
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "-._~$!&'()*+,;=:@".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
