package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * For any sequence of counter increments, resets (the meter removed and registered again) and ticker steps, the
 * rate a {@link MeterCheck} reports equals the definition of {@link Window}, computed by an unbounded model that
 * keeps every snapshot: the ring must never lose a baseline the definition picks (it did with a 15 ns window of 12 slots).
 */
class RatePropertiesTest {

    /** One step: 0 increment by {@code n}, 1 ticker forward by {@code n / 4000} windows, 2 evaluate, 3 reset the counter. */
    record Step(int kind, int n) {}

    @Provide
    Arbitrary<Step> steps() {
        Arbitrary<Integer> kind = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(0)),
                Tuple.of(4, Arbitraries.just(1)),
                Tuple.of(4, Arbitraries.just(2)),
                Tuple.of(1, Arbitraries.just(3)));
        return Combinators.combine(kind, Arbitraries.integers().between(0, 400)).as(Step::new);
    }

    @Property(tries = 400)
    void reportedRateEqualsTheDefinitionForAnyIncrementsResetsAndTicks(
            @ForAll @IntRange(min = 12, max = 3000) int windowNanos,
            @ForAll @Size(max = 300) List<@net.jqwik.api.From("steps") Step> steps) {
        AtomicLong now = new AtomicLong(1_000_000);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter[] counter = {registry.counter("events")};
        MeterCheck check = MeterCheck.rate(registry, MeterQuery.of("events"))
                .window(Duration.ofNanos(windowNanos))
                .minSamples(0)
                .warnAbove(1e300)
                .ticker(now::get)
                .build();
        Model model = new Model(windowNanos, 12);
        model.observe(now.get(), 0);
        for (Step step : steps) {
            switch (step.kind()) {
                case 0 -> counter[0].increment(step.n());
                case 1 -> now.addAndGet((long) step.n() * windowNanos / 4000); // up to a tenth of the window
                case 2 -> {
                    Double expected = model.observe(now.get(), counter[0].count());
                    CheckResult r = check.check();
                    assertThat(r.status()).isEqualTo(Status.UP);
                    if (expected == null) {
                        assertThat(r.message()).startsWith("not enough data");
                    } else {
                        assertThat(r.message()).doesNotStartWith("not enough data");
                        assertThat((Double) r.data().get("value"))
                                .isCloseTo(expected, within(1e-4 + Math.abs(expected) * 1e-12));
                    }
                }
                default -> {
                    registry.remove(counter[0]);
                    counter[0] = registry.counter("events");
                }
            }
        }
    }

    /** The definition of {@link Window} with every kept snapshot remembered. */
    static final class Model {
        private final long window;
        private final long resolution;
        private final List<long[]> keptTimes = new ArrayList<>();
        private final List<Double> keptValues = new ArrayList<>();
        private double last;
        private double offset;

        Model(long window, int slots) {
            this.window = window;
            this.resolution = Math.max(1, window / slots);
        }

        /** @return the rate per second, or null for "not enough data" */
        Double observe(long now, double raw) {
            if (raw < last) {
                offset += last;
            }
            last = raw;
            double adjusted = raw + offset;
            int base = -1;
            for (int i = 0; i < keptTimes.size(); i++) {
                long t = keptTimes.get(i)[0];
                if (t < now && now - t >= window) {
                    base = i; // the newest at or before now - window
                }
            }
            if (base < 0 && !keptTimes.isEmpty() && keptTimes.get(0)[0] < now) {
                base = 0; // warming up: the oldest
            }
            Double answer = null;
            if (base >= 0 && now - keptTimes.get(base)[0] >= resolution) {
                answer = (adjusted - keptValues.get(base))
                        * 1e9
                        / (now - keptTimes.get(base)[0]);
            }
            if (keptTimes.isEmpty() || now - keptTimes.get(keptTimes.size() - 1)[0] >= resolution) {
                keptTimes.add(new long[] {now});
                keptValues.add(adjusted);
            }
            return answer;
        }
    }
}
