package io.vigil.health.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class IsoInstantTest {
    @Property(tries = 5_000)
    void writesWhatInstantToStringWrites(
            @ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long second,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nano) {
        Instant t = Instant.ofEpochSecond(second, nano);
        assertThat(format(t)).isEqualTo(t.toString());
    }

    @Property(tries = 1_000)
    void writesMillisecondAndMicrosecondInstantsAsInstantToStringDoes(
            @ForAll @LongRange(min = 0, max = 4_102_444_800L) long second,
            @ForAll @IntRange(min = 0, max = 999) int milli,
            @ForAll @IntRange(min = 0, max = 999) int micro) {
        Instant millis = Instant.ofEpochSecond(second, milli * 1_000_000L);
        Instant micros = Instant.ofEpochSecond(second, milli * 1_000_000L + micro * 1_000L);
        assertThat(format(millis)).isEqualTo(millis.toString());
        assertThat(format(micros)).isEqualTo(micros.toString());
    }

    @Test
    void writesTheEdgesOfTheRangeAndLeavesYearsBeyondToInstantToString() {
        for (Instant t : new Instant[] {
            Instant.parse("0000-01-01T00:00:00Z"),
            Instant.parse("9999-12-31T23:59:59.999999999Z"),
            Instant.EPOCH,
            Instant.parse("2024-02-29T23:59:59.5Z"),
            Instant.parse("2026-12-06T00:00:00.000001Z")
        }) {
            assertThat(format(t)).isEqualTo(t.toString());
        }
        assertThat(IsoInstant.format(Instant.parse("+10000-01-01T00:00:00Z"), new char[IsoInstant.MAX_LENGTH]))
                .isEqualTo(-1);
        assertThat(IsoInstant.format(Instant.ofEpochSecond(-62_167_219_201L), new char[IsoInstant.MAX_LENGTH]))
                .isEqualTo(-1);
    }

    private static String format(Instant t) {
        char[] out = new char[IsoInstant.MAX_LENGTH];
        int n = IsoInstant.format(t, out);
        return n < 0 ? t.toString() : new String(out, 0, n);
    }
}
