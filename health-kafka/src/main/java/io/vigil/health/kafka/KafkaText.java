package io.vigil.health.kafka;

import io.vigil.health.Secrets;

/** Text from Kafka made fit for a message: redacted, one line, bounded. */
final class KafkaText {
    private static final int MAX = 300;

    private KafkaText() {}

    /** @return a name (topic, group) on one line, at most 300 chars */
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
