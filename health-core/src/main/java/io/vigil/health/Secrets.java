package io.vigil.health;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes secrets from text before it reaches a response, a log line or a metric tag. Used by the engine on every
 * message; check authors use it on anything they build from URLs, headers or upstream bodies.
 *
 * <p>What is recognised, each found on the original text and replaced by {@code ***}:
 * <ul>
 * <li>values of sensitive keys in {@code key=value}, {@code key: value}, {@code key = "value"}, {@code key='value'},
 *     JSON members ({@code "key": "value"}) and SQL's {@code PASSWORD 'value'}; a key is sensitive when its name
 *     contains password, passwd, pwd, passphrase, secret, token, api_key/api-key/apikey, access_key, credential,
 *     authorization, cookie, private_key, session or signature, or is {@code auth}. Unquoted values end at white
 *     space or {@code ; & , " ' < > ( ) [ ] { }}; {@code Authorization} and {@code Cookie} values at the end of
 *     the line;</li>
 * <li>HTTP credentials after {@code Bearer}, {@code Basic} (when it decodes to {@code user:password}),
 *     {@code Digest}, {@code Negotiate}, {@code NTLM} and {@code AWS4-HMAC-SHA256};</li>
 * <li>URL user-info up to the last {@code @} before the host ({@code postgres://u:p@ss@db} gives
 *     {@code postgres://***@db}), Oracle's {@code thin:user/password@}, and whole URL query strings;</li>
 * <li>PEM blocks' contents and JWT-looking tokens ({@code eyJ...}.{@code ...}.{@code ...}).</li>
 * </ul>
 * Not promised: a secret in free text with no key, scheme or shape to recognise it by ({@code "login with
 * hunter2 failed"}), or an unquoted value containing one of the characters that end it.
 */
public final class Secrets {
    private static final String MASK = "***";
    /** Sensitive key names: a key containing one of these (lower case) is sensitive. */
    private static final List<String> KEYWORDS = List.of(
            "password",
            "passwd",
            "pwd",
            "passphrase",
            "secret",
            "token",
            "api_key",
            "api-key",
            "apikey",
            "access_key",
            "access-key",
            "accesskey",
            "credential",
            "authorization",
            "cookie",
            "private_key",
            "private-key",
            "privatekey",
            "session",
            "signature",
            "auth");
    /** Keys that contain a keyword but hold no secret. */
    private static final List<String> HARMLESS_KEYS = List.of("token_type", "token-type", "tokentype");

    private static final Pattern SCHEME_CREDENTIALS =
            Pattern.compile("(?i)(bearer|basic|negotiate|ntlm|digest|aws4-hmac-sha256)[ \\t]+([^\\s\"']+)");
    private static final Pattern URL_START = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]{0,31}://");
    private static final Pattern ORACLE_THIN = Pattern.compile("(?i)thin:([^\\s/@\"']{1,256}/[^\\s\"']{1,512})@");
    private static final Pattern HOST =
            Pattern.compile("(\\[[0-9A-Fa-f:.]{1,64}]|[A-Za-z0-9._~%-]{1,253})(:\\d{0,5})?");
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,64})-----");
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]{2,}\\.[A-Za-z0-9_-]*");

    private Secrets() {}

    /** Longest text {@link #redact} returns; longer input is cut first, which also bounds the work. */
    public static final int MAX_LENGTH = 8192;

    /**
     * @param text any text, may be null
     * @return the text, cut to {@link #MAX_LENGTH} chars, with secrets replaced by {@code ***}; {@code ""} for null
     */
    public static String redact(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
        Spans spans = new Spans();
        pem(s, spans);
        urls(s, spans);
        schemes(s, spans);
        keyValues(s, spans);
        Matcher jwt = JWT.matcher(s);
        while (jwt.find()) {
            spans.add(jwt.start(), jwt.end());
        }
        return spans.apply(s);
    }

    /** Character ranges to replace, merged when they overlap or touch. */
    private static final class Spans {
        private final List<int[]> ranges = new ArrayList<>();

        void add(int from, int to) {
            if (to > from) {
                ranges.add(new int[] {from, to});
            }
        }

        String apply(String s) {
            if (ranges.isEmpty()) {
                return s;
            }
            ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
            StringBuilder out = new StringBuilder(s.length());
            int at = 0;
            int i = 0;
            while (i < ranges.size()) {
                int from = ranges.get(i)[0];
                int to = ranges.get(i)[1];
                for (i++; i < ranges.size() && ranges.get(i)[0] <= to; i++) {
                    to = Math.max(to, ranges.get(i)[1]);
                }
                out.append(s, at, Math.max(at, from)).append(MASK);
                at = Math.max(at, to);
            }
            return out.append(s, at, s.length()).toString();
        }
    }

    private static void pem(String s, Spans spans) {
        Matcher m = PEM.matcher(s);
        int from = 0;
        while (from < s.length() && m.find(from)) {
            String footer = "-----END " + m.group(1) + "-----";
            int end = s.indexOf(footer, m.end());
            spans.add(m.end(), end < 0 ? s.length() : end);
            from = end < 0 ? s.length() : end + footer.length();
        }
    }

    private static void urls(String s, Spans spans) {
        Matcher m = URL_START.matcher(s);
        while (m.find()) {
            int start = m.end();
            int end = start;
            while (end < s.length() && !urlEnds(s.charAt(end))) {
                end++;
            }
            int at = userInfoEnd(s, start, end);
            spans.add(start, at < 0 ? start : at);
            int query = s.indexOf('?', Math.max(start, at));
            if (query >= 0 && query < end) {
                int fragment = s.indexOf('#', query);
                spans.add(query + 1, fragment >= 0 && fragment < end ? fragment : end);
            }
        }
        Matcher thin = ORACLE_THIN.matcher(s);
        while (thin.find()) {
            spans.add(thin.start(1), thin.end(1));
        }
    }

    private static boolean urlEnds(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`';
    }

    /**
     * @return the index of the {@code @} that ends the user-info of the authority starting at {@code start}, or -1:
     *     the last {@code @} followed by a host (and port) and the end of the authority; {@code @}s after the first
     *     {@code ?} or {@code #} count only when there is none before
     */
    private static int userInfoEnd(String s, int start, int end) {
        int stop = end;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c == '?' || c == '#') {
                if (s.lastIndexOf('@', i) >= start) {
                    stop = i;
                }
                break;
            }
        }
        for (int at = s.lastIndexOf('@', stop - 1); at >= start; at = s.lastIndexOf('@', at - 1)) {
            Matcher host = HOST.matcher(s).region(at + 1, end);
            if (host.lookingAt() && (host.end() == end || "/?#;,)".indexOf(s.charAt(host.end())) >= 0)) {
                return at;
            }
        }
        return -1;
    }

    private static void schemes(String s, Spans spans) {
        Matcher m = SCHEME_CREDENTIALS.matcher(s);
        for (int next = 0; next < s.length() && m.find(next); next = m.start(2)) { // "Bearer Bearer x": both

            String scheme = m.group(1).toLowerCase(Locale.ROOT);
            String word = m.group(2);
            int from = m.start(2);
            switch (scheme) {
                case "digest", "aws4-hmac-sha256" -> spans.add(from, lineEnd(s, from));
                case "basic" -> {
                    if (isUserPassword(word)) {
                        spans.add(from, m.end(2));
                    }
                }
                case "bearer" -> {
                    boolean challenge =
                            word.matches("[A-Za-z_]{1,32}=") && m.end(2) < s.length() && s.charAt(m.end(2)) == '"';
                    if (!challenge) { // not an auth-param of a WWW-Authenticate challenge (realm="api")
                        spans.add(from, m.end(2));
                    }
                }
                default -> {
                    if (word.length() >= 16) {
                        spans.add(from, m.end(2));
                    }
                }
            }
        }
    }

    /** @return whether a Basic credential decodes (at least its first whole quads) to {@code user:...} */
    private static boolean isUserPassword(String word) {
        int n = 0;
        while (n < word.length() && isBase64(word.charAt(n))) {
            n++;
        }
        n -= n % 4;
        if (n < 4) {
            return false;
        }
        byte[] plain;
        try {
            plain = Base64.getDecoder().decode(word.substring(0, n));
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (int i = 0; i < plain.length; i++) {
            if (plain[i] == ':') {
                return true;
            }
            if (plain[i] < 0x20 || plain[i] > 0x7e) {
                return false;
            }
        }
        return false;
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static int lineEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) != '\n' && s.charAt(i) != '\r') {
            i++;
        }
        return i;
    }

    private static boolean isKeyChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.';
    }

    private static void keyValues(String s, Spans spans) {
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.length() != s.length()) { // a few characters change length in lower case: match them one by one
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                b.append(Character.toLowerCase(s.charAt(i)));
            }
            lower = b.toString();
        }
        for (String keyword : KEYWORDS) {
            for (int k = lower.indexOf(keyword); k >= 0; k = lower.indexOf(keyword, k + 1)) {
                int from = k;
                while (from > 0 && isKeyChar(s.charAt(from - 1))) {
                    from--;
                }
                int to = k + keyword.length();
                while (to < s.length() && isKeyChar(s.charAt(to))) {
                    to++;
                }
                String key = lower.substring(from, to);
                if (keyword.equals("auth") ? !key.equals("auth") : HARMLESS_KEYS.contains(key)) {
                    continue;
                }
                value(s, key, from, to, spans);
            }
        }
    }

    /** Adds the value after the sensitive key {@code s[from, to)}, if a separator and a value follow. */
    private static void value(String s, String key, int from, int to, Spans spans) {
        int j = to;
        if (j < s.length() && (s.charAt(j) == '"' || s.charAt(j) == '\'')) {
            j++; // the closing quote of a quoted key
        }
        j = skipBlanks(s, j);
        boolean separated = j < s.length() && (s.charAt(j) == '=' || s.charAt(j) == ':');
        if (separated) {
            boolean hostPort = s.charAt(j) == ':'
                    && from > 0
                    && (s.charAt(from - 1) == '@' || s.startsWith("://", Math.max(0, from - 3)))
                    && j + 1 < s.length()
                    && Character.isDigit(s.charAt(j + 1));
            if (hostPort) {
                return; // https://token-service:8443
            }
            j++;
            if (j < s.length() && (s.charAt(j) == '=' || s.charAt(j) == '>')) {
                j++; // := or =>
            }
            j = skipBlanks(s, j);
        } else if (j == to || j >= s.length() || (s.charAt(j) != '"' && s.charAt(j) != '\'')) {
            return; // no separator: SQL's PASSWORD 'value' needs blanks and a quote
        }
        if (j >= s.length()) {
            return;
        }
        char c = s.charAt(j);
        if (c == '"' || c == '\'') {
            int close = j + 1;
            while (close < s.length() && s.charAt(close) != c) {
                close += s.charAt(close) == '\\' ? 2 : 1;
            }
            spans.add(j + 1, Math.min(close, s.length()));
        } else if (separated && (key.contains("authorization") || key.contains("cookie"))) {
            spans.add(j, lineEnd(s, j));
        } else if (separated) {
            int end = j;
            while (end < s.length() && !valueEnds(s.charAt(end))) {
                end++;
            }
            spans.add(j, end);
        }
    }

    private static int skipBlanks(String s, int from) {
        int j = from;
        while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
            j++;
        }
        return j;
    }

    private static boolean valueEnds(char c) {
        return Character.isWhitespace(c) || ";&,\"'<>()[]{}".indexOf(c) >= 0;
    }

    /**
     * @param url a URL or URI string, may be null
     * @return the URL without user-info and query string, e.g. {@code https://api.example.com/health}
     */
    public static String safeUrl(String url) {
        if (url == null) {
            return "";
        }
        String s = url;
        Matcher m = URL_START.matcher(s);
        if (m.find()) {
            int end = m.end();
            while (end < s.length() && !urlEnds(s.charAt(end))) {
                end++;
            }
            int at = userInfoEnd(s, m.end(), end);
            if (at >= 0) {
                s = s.substring(0, m.end()) + s.substring(at + 1);
            }
        }
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        int h = s.indexOf('#');
        return h >= 0 ? s.substring(0, h) : s;
    }

    /**
     * A copy of a failure fit for a log: same types' names, same stack frames, messages redacted, causes copied
     * the same way (at most 8 deep). Use it whenever a stack trace is logged.
     *
     * @param error a failure
     * @return the redacted copy
     */
    public static Throwable redacted(Throwable error) {
        return copy(error, 0);
    }

    private static Throwable copy(Throwable t, int depth) {
        Throwable original = t.getCause();
        @Nullable Throwable cause = original != null && original != t && depth < 8 ? copy(original, depth + 1) : null;
        Throwable c = new RedactedFailure(t.getClass().getName() + ": " + redact(t.getMessage()), cause);
        c.setStackTrace(t.getStackTrace());
        return c;
    }

    /** Carries a redacted failure's type name and message; never thrown. */
    private static final class RedactedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedactedFailure(String message, @Nullable Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        @SuppressWarnings("OverrideThrowableToString") // the message starts with the original type's name; this
        // wrapper's own name would only mislead whoever reads the log
        public String toString() {
            String message = getMessage();
            return message != null ? message : getClass().getName();
        }
    }

    /**
     * @param error a failure
     * @return {@code "SimpleClassName: redacted message"}, following causes when the message is empty
     */
    public static String describe(@Nullable Throwable error) {
        if (error == null) {
            return "";
        }
        Throwable t = error;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        String type = t.getClass().getSimpleName();
        return msg == null || msg.isBlank() ? type : type + ": " + redact(msg);
    }
}
