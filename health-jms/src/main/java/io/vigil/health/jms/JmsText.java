package io.vigil.health.jms;

import io.vigil.health.Secrets;

/** Text from a JMS provider made fit for a message: redacted, one line, bounded. */
final class JmsText {
    private static final int MAX = 300;

    private JmsText() {}

    /** @return a name (queue) on one line, at most 300 chars */
    static String clean(String text) {
        String s = Secrets.redact(text).replaceAll("\\p{Cntrl}", " ");
        return s.length() > MAX ? s.substring(0, MAX) + "…" : s;
    }

    /** @return the failure's type and redacted message, on one line */
    static String describe(Throwable t) {
        return clean(Secrets.describe(t));
    }

    /** @return a copy of the failure with every message redacted */
    static Throwable redacted(Throwable t) {
        return Secrets.redacted(t);
    }
}
