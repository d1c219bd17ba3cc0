package io.vigil.health.server;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value of the JDK server: an IMF-fixdate (RFC 9110 §5.6.7), e.g.
 * {@code Sun, 06 Dec 2026 09:00:00 GMT} — always two digits for the day, which
 * {@link DateTimeFormatter#RFC_1123_DATE_TIME} does not give on days 1–9. Formatted at most once per second and
 * shared; read by any thread.
 */
final class HttpDate {
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The second and its text, replaced as a whole. */
    private record Stamp(long second, String text) {}

    private final Clock clock;
    private volatile Stamp last = new Stamp(Long.MIN_VALUE, "");

    HttpDate(Clock clock) {
        this.clock = clock;
    }

    /** @return the current time as an IMF-fixdate; the system clock's if the clock fails */
    String now() {
        Instant now;
        try {
            now = clock.instant();
        } catch (RuntimeException e) {
            now = Instant.now(); // a broken clock must not cost the answer its Date
        }
        long second = now.getEpochSecond();
        Stamp s = last;
        if (s.second != second) {
            s = new Stamp(second, format(Instant.ofEpochSecond(second)));
            last = s;
        }
        return s.text;
    }

    /** @return the instant as an IMF-fixdate */
    static String format(Instant instant) {
        return IMF_FIXDATE.format(instant);
    }
}
