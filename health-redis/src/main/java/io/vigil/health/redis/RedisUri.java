package io.vigil.health.redis;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code redis://} or {@code rediss://} URI: {@code redis[s]://[[user]:password@]host[:port][/db]}.
 * Exceptions and {@link #toString()} never contain the user-info; the password is only handed to the wire.
 */
final class RedisUri {
    static final int DEFAULT_PORT = 6379;

    final boolean tls;
    final String host;
    final int port;
    final int database;
    final @Nullable String username;
    final @Nullable String password;

    private RedisUri(
            boolean tls, String host, int port, int database, @Nullable String username, @Nullable String password) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.database = database;
        this.username = username;
        this.password = password;
    }

    /**
     * Parses leniently where passwords need it (an unencoded {@code @}, {@code /}, {@code #} or {@code ?} in the
     * password is taken as part of it: the user-info ends at the last {@code @}), strictly everywhere else.
     * Without a colon the whole user-info is the password, as Lettuce reads it.
     *
     * @throws IllegalArgumentException with a message that does not repeat the URI
     */
    static RedisUri parse(String uri) {
        if (uri == null) {
            throw new NullPointerException("uri");
        }
        String lower = uri.toLowerCase(Locale.ROOT);
        boolean tls;
        String rest;
        if (lower.startsWith("redis://")) {
            tls = false;
            rest = uri.substring("redis://".length());
        } else if (lower.startsWith("rediss://")) {
            tls = true;
            rest = uri.substring("rediss://".length());
        } else {
            throw new IllegalArgumentException("Redis URI must start with redis:// or rediss://");
        }
        String username = null;
        String password = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            String userInfo = rest.substring(0, at);
            rest = rest.substring(at + 1);
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                username = emptyToNull(decode(userInfo.substring(0, colon)));
                password = emptyToNull(decode(userInfo.substring(colon + 1)));
            } else {
                password = emptyToNull(decode(userInfo));
            }
        }
        for (int i = 0; i < rest.length(); i++) {
            char c = rest.charAt(i);
            if (c == '?' || c == '#') {
                throw new IllegalArgumentException("Redis URI: query parameters and fragments are not supported;"
                        + " configure the check with its builder");
            }
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("Redis URI: whitespace or control character after the user-info");
            }
        }
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash + 1) : "";
        String host;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("Redis URI: unterminated IPv6 literal");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("Redis URI: unexpected text after the IPv6 literal");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon >= 0 ? authority.substring(0, colon) : authority;
            portText = colon >= 0 ? authority.substring(colon + 1) : null;
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("Redis URI: missing host");
        }
        int port = DEFAULT_PORT;
        if (portText != null) {
            port = number(portText, "port");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("Redis URI: port must be 1 to 65535");
            }
        }
        int database = path.isEmpty() ? 0 : number(path, "database");
        return new RedisUri(tls, host, port, database, username, password);
    }

    RedisUri withCredentials(@Nullable String newUsername, String newPassword) {
        return new RedisUri(tls, host, port, database, newUsername, newPassword);
    }

    RedisUri withDatabase(int newDatabase) {
        return new RedisUri(tls, host, port, newDatabase, username, password);
    }

    private static int number(String text, String what) {
        if (text.isEmpty() || text.length() > 9) {
            throw new IllegalArgumentException("Redis URI: " + what + " must be a number");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw new IllegalArgumentException("Redis URI: " + what + " must be a number");
            }
        }
        return Integer.parseInt(text);
    }

    private static @Nullable String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%') {
                if (i + 2 >= bytes.length
                        || Character.digit(bytes[i + 1], 16) < 0
                        || Character.digit(bytes[i + 2], 16) < 0) {
                    throw new IllegalArgumentException("Redis URI: malformed percent-encoding in the user-info");
                }
                out.write(Character.digit(bytes[i + 1], 16) * 16 + Character.digit(bytes[i + 2], 16));
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** @return where the server is, e.g. {@code 127.0.0.1:6379} or {@code [::1]:6379} */
    String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** @return the URI without credentials, e.g. {@code rediss://cache.internal:6380/2} */
    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + address() + "/" + database;
    }
}
