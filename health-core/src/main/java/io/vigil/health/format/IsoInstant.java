package io.vigil.health.format;

import java.time.Instant;

/**
 * Writes an {@link Instant} as {@link Instant#toString()} does (ISO-8601 in UTC: {@code 2026-12-06T14:05:09.123Z},
 * the fraction in groups of three digits, left out when zero) into a caller's {@code char[]}, allocating nothing.
 * Every report names when each check last succeeded, so the JDK's formatter, which builds several strings per call,
 * was most of what an uncached probe allocated. Years outside 0000-9999 are left to {@link Instant#toString()}.
 */
final class IsoInstant {
    /** Enough for {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}. */
    static final int MAX_LENGTH = 30;

    private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private IsoInstant() {}

    /**
     * @param t   the instant
     * @param out at least {@link #MAX_LENGTH} chars
     * @return the number of chars written, or -1 when the year is outside 0000-9999 (use {@link Instant#toString()})
     */
    static int format(Instant t, char[] out) {
        long seconds = t.getEpochSecond();
        if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
            return -1;
        }
        long days = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        // civil date from days since 1970-01-01 (proleptic Gregorian), by 400-year eras
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        long dayOfEra = z - era * 146_097L;
        long yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        int year = (int) (yearOfEra + era * 400 + (month <= 2 ? 1 : 0));

        int i = digits(year, 4, out, 0);
        out[i++] = '-';
        i = digits(month, 2, out, i);
        out[i++] = '-';
        i = digits(day, 2, out, i);
        out[i++] = 'T';
        i = digits(secondOfDay / 3_600, 2, out, i);
        out[i++] = ':';
        i = digits(secondOfDay / 60 % 60, 2, out, i);
        out[i++] = ':';
        i = digits(secondOfDay % 60, 2, out, i);
        int nano = t.getNano();
        if (nano > 0) {
            out[i++] = '.';
            if (nano % 1_000_000 == 0) {
                i = digits(nano / 1_000_000, 3, out, i);
            } else if (nano % 1_000 == 0) {
                i = digits(nano / 1_000, 6, out, i);
            } else {
                i = digits(nano, 9, out, i);
            }
        }
        out[i++] = 'Z';
        return i;
    }

    private static int digits(int value, int width, char[] out, int at) {
        for (int k = at + width - 1; k >= at; k--) {
            out[k] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
