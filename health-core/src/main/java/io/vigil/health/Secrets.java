package io.vigil.health;

import java.util.regex.Pattern;

/**
 * Removes secrets from text before it reaches a response, a log line or a metric tag: URL user-info
 * ({@code redis://:pw@host}), URL query strings, {@code password=...} style pairs and {@code Authorization}
 * values. Used by the engine on every message; check authors use it on anything they build from URLs.
 */
public final class Secrets {
    private static final Pattern URL_USERINFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]{0,31}://)[^/@\\s?#]{0,512}@");
    private static final Pattern URL_QUERY = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]{0,31}://[^\\s?#\"']{0,2048})\\?[^\\s#\"']*");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|credentials?)\\s*[=:]\\s*)([^\\s;&,\"']+)");
    private static final Pattern AUTH_HEADER = Pattern.compile("(?i)((?:authorization|proxy-authorization)\\s*[:=]\\s*)([^\\r\\n]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]+");

    private Secrets() {
    }

    /** Longest text {@link #redact} returns; longer input is cut first, which also bounds the regex work. */
    public static final int MAX_LENGTH = 8192;

    /**
     * @param text any text, may be null
     * @return the text, cut to {@link #MAX_LENGTH} chars, with secrets replaced by {@code ***}; {@code ""} for null
     */
    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
        s = URL_USERINFO.matcher(s).replaceAll("$1***@");
        s = URL_QUERY.matcher(s).replaceAll("$1?***");
        s = AUTH_HEADER.matcher(s).replaceAll("$1***");
        s = BEARER.matcher(s).replaceAll("$1***");
        return KEY_VALUE.matcher(s).replaceAll("$1***");
    }

    /**
     * @param url a URL or URI string, may be null
     * @return the URL without user-info and query string, e.g. {@code https://api.example.com/health}
     */
    public static String safeUrl(String url) {
        if (url == null) {
            return "";
        }
        String s = URL_USERINFO.matcher(url).replaceAll("$1");
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
        Throwable cause = t.getCause() != null && t.getCause() != t && depth < 8 ? copy(t.getCause(), depth + 1) : null;
        Throwable c = new RedactedFailure(t.getClass().getName() + ": " + redact(t.getMessage()), cause);
        c.setStackTrace(t.getStackTrace());
        return c;
    }

    /** Carries a redacted failure's type name and message; never thrown. */
    private static final class RedactedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RedactedFailure(String message, Throwable cause) {
            super(message, cause, false, true);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /**
     * @param error a failure
     * @return {@code "SimpleClassName: redacted message"}, following causes when the message is empty
     */
    public static String describe(Throwable error) {
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
