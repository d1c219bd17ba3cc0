package io.vigil.health.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed HTTP/1.x request head (request line and header fields, RFC 9112), or why it was refused. Parsing is
 * strict where lenience lets a request mean two things (conflicting framing headers, obs-fold, whitespace before
 * a colon) and bounded: the caller passes a complete head no longer than its limit.
 *
 * @param method    the method token
 * @param path      raw path (origin-form, or taken from an absolute-form target), {@code *} for asterisk-form
 * @param query     raw query without {@code ?}, or {@code null}
 * @param http10    whether the version is HTTP/1.0
 * @param headers   header fields by lower-case name, in order
 * @param keepAlive whether the connection may carry another request after this one
 * @param hasBody   whether a body follows (which this server never reads: it answers and closes)
 */
record RequestHead(
        String method,
        String path,
        @Nullable String query,
        boolean http10,
        Map<String, List<String>> headers,
        boolean keepAlive,
        boolean hasBody) {

    /** A request refused before it reaches the handler. */
    record Refusal(int status, String code, String diagnostics) {}

    /** The outcome of parsing: a head or a refusal. */
    record Parsed(@Nullable RequestHead head, @Nullable Refusal refusal) {}

    /**
     * @param name lower-case header name
     * @return the values joined with {@code ,} (RFC 9110 list syntax), or {@code null} if absent
     */
    @Nullable
    String header(String name) {
        List<String> v = headers.get(name);
        return v == null ? null : String.join(",", v);
    }

    /**
     * Where a head ends: the index just after the empty line that closes it.
     *
     * @param buf  bytes received
     * @param from first index to look at
     * @param to   end of the received bytes
     * @return the end of the head, or -1 if it is not complete yet
     */
    static int endOfHead(byte[] buf, int from, int to) {
        for (int i = Math.max(from, 1); i < to; i++) {
            if (buf[i] == '\n' && (buf[i - 1] == '\n' || (i >= 2 && buf[i - 1] == '\r' && buf[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * @param buf            the bytes
     * @param start          first byte of the head (leading empty lines already skipped)
     * @param end            end of the head, as returned by {@link #endOfHead}
     * @param maxHeaderCount most header fields accepted
     * @return the head, or the refusal
     */
    static Parsed parse(byte[] buf, int start, int end, int maxHeaderCount) {
        String text = new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
        List<String> lines = new ArrayList<>();
        int from = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
            String line = text.substring(from, nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl);
            if (line.indexOf('\r') >= 0) {
                return refuse(400, "invalid", "Bare CR in the request head");
            }
            lines.add(line);
            from = nl + 1;
        }
        String[] requestLine = lines.get(0).split(" ", -1);
        if (requestLine.length != 3 || !isToken(requestLine[0]) || requestLine[1].isEmpty()) {
            return refuse(400, "invalid", "Malformed request line");
        }
        String version = requestLine[2];
        if (!version.matches("HTTP/[0-9]\\.[0-9]")) {
            return refuse(400, "invalid", "Malformed HTTP version");
        }
        if (version.charAt(5) != '1') {
            return refuse(505, "not-supported", "Only HTTP/1.0 and HTTP/1.1 are supported");
        }
        boolean http10 = version.equals("HTTP/1.0");
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int count = 0;
        for (int i = 1; i < lines.size() - 1; i++) {
            String line = lines.get(i);
            if (++count > maxHeaderCount) {
                return refuse(431, "too-long", "More than " + maxHeaderCount + " header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                return refuse(
                        400,
                        "invalid",
                        line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t'
                                ? "Folded header lines are not accepted"
                                : "Malformed header field");
            }
            String value = line.substring(colon + 1).strip();
            for (int c = 0; c < value.length(); c++) {
                char ch = value.charAt(c);
                if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
                    return refuse(400, "invalid", "Control character in a header value");
                }
            }
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(value);
        }
        return framing(requestLine[0], requestLine[1], http10, headers);
    }

    private static Parsed framing(String method, String target, boolean http10, Map<String, List<String>> headers) {
        List<String> host = headers.get("host");
        if ((!http10 && (host == null || host.size() != 1)) || (http10 && host != null && host.size() > 1)) {
            return refuse(400, "invalid", "HTTP/1.1 requests need exactly one Host header");
        }
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        boolean hasBody = false;
        if (te != null) {
            if (cl != null) {
                return refuse(400, "invalid", "Both Content-Length and Transfer-Encoding");
            }
            String codings = String.join(",", te).toLowerCase(Locale.ROOT);
            if (http10 || !codings.strip().endsWith("chunked")) {
                return refuse(400, "invalid", "Unsupported Transfer-Encoding");
            }
            hasBody = true;
        } else if (cl != null) {
            String first = null;
            for (String v : cl) {
                for (String part : v.split(",", -1)) {
                    String p = part.strip();
                    if (!p.matches("[0-9]{1,18}") || (first != null && !first.equals(p))) {
                        return refuse(400, "invalid", "Malformed Content-Length");
                    }
                    first = p;
                }
            }
            hasBody = Long.parseLong(first) > 0;
        }
        String path;
        String query = null;
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                return refuse(400, "invalid", "Invalid character in the request target");
            }
        }
        if (target.charAt(0) == '/' || target.equals("*")) {
            path = target;
        } else if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            int authority = target.indexOf("//") + 2;
            int slash = target.indexOf('/', authority);
            int q = target.indexOf('?', authority);
            int pathStart = slash < 0 ? q : q < 0 ? slash : Math.min(slash, q);
            path = pathStart < 0 ? "/" : target.substring(pathStart);
            if (path.startsWith("?")) {
                path = "/" + path;
            }
        } else {
            return refuse(400, "invalid", "Malformed request target");
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        String connection = headers.containsKey("connection")
                ? String.join(",", headers.get("connection")).toLowerCase(Locale.ROOT)
                : "";
        boolean keepAlive = !hasBody && (http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close"));
        return new Parsed(new RequestHead(method, path, query, http10, headers, keepAlive, hasBody), null);
    }

    private static boolean hasToken(String list, String token) {
        for (String t : list.split(",", -1)) {
            if (t.strip().equals(token)) {
                return true;
            }
        }
        return false;
    }

    private static Parsed refuse(int status, String code, String diagnostics) {
        return new Parsed(null, new Refusal(status, code, diagnostics));
    }

    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
