package io.vigil.health.format;

import org.jspecify.annotations.Nullable;

/**
 * Bounds on text written into any representation, so that output stays small and valid whatever a check
 * puts in its message or data. Lone surrogates become U+FFFD; a cut never splits a surrogate pair.
 */
final class Clip {
    /** Longest message, diagnostics or lock description, in chars. */
    static final int TEXT = 1024;
    /** Longest data value or key, in chars. */
    static final int VALUE = 256;
    /** Most data entries written per check. */
    static final int ENTRIES = 32;

    private Clip() {}

    static String text(String s) {
        return clip(s, TEXT);
    }

    static String value(@Nullable String s) {
        return clip(s, VALUE);
    }

    static String clip(@Nullable String s, int max) {
        if (s == null) {
            return "";
        }
        boolean cut = s.length() > max;
        int end = cut ? max : s.length();
        if (cut && Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        StringBuilder sb = null;
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            boolean bad = Character.isHighSurrogate(c)
                    ? i + 1 >= end || !Character.isLowSurrogate(s.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)));
            if (bad && sb == null) {
                sb = new StringBuilder(end + 1).append(s, 0, i);
            }
            if (sb != null) {
                sb.append(bad ? '\uFFFD' : c);
            }
        }
        String out = sb != null ? sb.toString() : cut ? s.substring(0, end) : s;
        return cut ? out + "\u2026" : out;
    }
}
