package io.vigil.health.redis;

import io.vigil.health.CheckResult;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What all three Redis checks share: reading {@code INFO} text, turning the facts into a result, and turning a
 * Redis error reply into a message a runbook can act on. Server text is untrusted: it is cleaned, shortened,
 * redacted and stripped of the configured password before it reaches a message.
 */
final class RedisResults {
    private static final int MAX_SERVER_TEXT = 200;

    private RedisResults() {}

    /** Parses {@code key:value} lines of {@code INFO} or {@code CLUSTER INFO}; section headers and junk are skipped. */
    static Map<String, String> parseInfo(@Nullable String text) {
        Map<String, String> map = new HashMap<>();
        if (text == null) {
            return map;
        }
        for (String line : text.split("\r?\n", -1)) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                map.put(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim());
            }
        }
        return map;
    }

    /**
     * The verdict once PING answered: DOWN when a cluster reports a state other than {@code ok}; the configured
     * status when a replica's link to its master is not up; UP otherwise.
     *
     * @param rttNanos        PING round trip
     * @param info            merged {@code INFO server}, {@code INFO replication} and {@code CLUSTER INFO} fields
     * @param replicaLinkDown status for a replica whose master link is down
     * @param where           data to put first (the RESP check's address), may be empty
     */
    static CheckResult answered(
            long rttNanos, Map<String, String> info, Status replicaLinkDown, Map<String, Object> where) {
        Map<String, Object> data = new LinkedHashMap<>(where);
        double rttMs = Math.round(rttNanos / 1_000.0) / 1_000.0;
        data.put("roundTripMs", rttMs);
        String version = info.get("redis_version");
        putIfPresent(data, "version", version);
        putIfPresent(data, "mode", info.get("redis_mode"));
        String role = role(info.get("role"));
        putIfPresent(data, "role", role);
        String who = "Redis" + (version == null ? "" : " " + clean(version, null)) + (role == null ? "" : " " + role);
        Status status = Status.UP;
        String message = who + " answered PING in " + rttMs + " ms";
        if ("replica".equals(role)) {
            String master = info.get("master_host") + ":" + info.get("master_port");
            putIfPresent(data, "masterHost", info.get("master_host"));
            putIfPresent(data, "masterPort", number(info.get("master_port")));
            String link = info.get("master_link_status");
            putIfPresent(data, "masterLinkStatus", link);
            if (link != null && !"up".equals(link)) {
                Object since = number(info.get("master_link_down_since_seconds"));
                putIfPresent(data, "masterLinkDownSeconds", since);
                status = replicaLinkDown;
                message = who + " answered PING in " + rttMs + " ms, but its link to master " + clean(master, null)
                        + " is " + clean(link, null) + (since instanceof Long s && s >= 0 ? " for " + s + " s" : "");
            } else {
                message = who + " of " + clean(master, null) + " answered PING in " + rttMs + " ms";
            }
        } else if ("master".equals(role)) {
            putIfPresent(data, "connectedReplicas", number(info.get("connected_slaves")));
        }
        String clusterState = info.get("cluster_state");
        if (clusterState != null) {
            data.put("clusterState", clusterState);
            putIfPresent(data, "clusterKnownNodes", number(info.get("cluster_known_nodes")));
            if (!"ok".equals(clusterState)) {
                status = Status.DOWN;
                message = who + " answered PING, but the cluster state is " + clean(clusterState, null);
            }
        }
        return CheckResult.of(status, message).withData(data);
    }

    private static @Nullable String role(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        return "slave".equals(raw) ? "replica" : raw;
    }

    private static @Nullable Object number(@Nullable String s) {
        if (s == null) {
            return null;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return s;
        }
    }

    private static void putIfPresent(Map<String, Object> data, String key, @Nullable Object value) {
        if (value != null) {
            data.put(key, value instanceof String s ? clean(s, null) : value);
        }
    }

    /**
     * A message for a Redis error reply such as {@code NOAUTH Authentication required.}: a plain explanation, then
     * the server's own words (cleaned) so that runbooks can grep the code. The explanation never ends in a word
     * like "password" or "credentials": the engine's redaction would take the code after the colon for a secret.
     *
     * @param errorText the error reply without the leading {@code -}
     * @param secret    the configured password, removed from the text; may be null
     */
    static String describeError(@Nullable String errorText, @Nullable String secret) {
        String text = clean(errorText, secret);
        int space = text.indexOf(' ');
        String code = space > 0 ? text.substring(0, space) : text;
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        String why = switch (code) {
            case "NOAUTH" -> "Redis requires authentication and the check did not authenticate";
            case "WRONGPASS" -> "Redis rejected the login";
            case "LOADING" -> "Redis is loading its dataset into memory and cannot serve yet";
            case "MASTERDOWN" -> "Redis replica cannot serve: its link with the master is down";
            case "BUSY" -> "Redis is busy running a script or function";
            case "NOPERM" -> "the Redis user may not run a health command";
            case "MISCONF" -> "Redis refuses writes because it cannot persist";
            default ->
                lower.contains("invalid password") || lower.contains("invalid username-password")
                        ? "Redis rejected the login"
                        : lower.contains("without any password configured") || lower.contains("no password is set")
                                ? "the check sends a password but Redis has none configured"
                                : "Redis answered with an error";
        };
        return why + ": " + text;
    }

    /** @return whether the error reply means the user may not run the command (INFO may be denied by ACLs) */
    static boolean isNoPermission(@Nullable String errorText) {
        return errorText != null && errorText.startsWith("NOPERM");
    }

    /**
     * Makes untrusted text fit for a message: the secret replaced by {@code ***}, control characters dropped,
     * at most 200 characters, then redacted like every other message.
     */
    static String clean(@Nullable String text, @Nullable String secret) {
        if (text == null) {
            return "";
        }
        String s = text;
        if (secret != null && !secret.isEmpty()) {
            s = s.replace(secret, "***");
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_SERVER_TEXT + 1));
        for (int i = 0; i < s.length() && b.length() < MAX_SERVER_TEXT; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? ' ' : c);
        }
        if (s.length() > MAX_SERVER_TEXT) {
            b.append('…');
        }
        return Secrets.redact(b.toString().strip());
    }

    /** A DOWN carrying the address data and, for the log at DEBUG, the failure behind it. */
    static CheckResult down(String message, Map<String, Object> where, @Nullable Throwable error) {
        return CheckResult.of(Status.DOWN, message).withData(where).withError(error);
    }
}
