package io.vigil.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.BreakerState;
import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Recording: thresholds and the breaker agree, and views keep the recorded history. */
class RecorderTest {
    private static final long S = 1_000_000_000L;
    private final EventBus events = new EventBus(16);
    private final AtomicLong sequence = new AtomicLong();

    @AfterEach
    void close() {
        events.close();
    }

    private Recorder recorder(CheckPolicy policy) {
        Views views = new Views("db", policy, CheckKind.DEPENDENCY);
        return new Recorder(
                "db",
                policy,
                new CheckHistory("db", 4),
                events,
                Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC),
                sequence::incrementAndGet,
                views,
                new AtomicLong());
    }

    @Test
    void failuresTheThresholdsTolerateNeverOpenTheBreaker() {
        Recorder r = recorder(CheckPolicy.builder()
                .thresholds(3, 1)
                .circuitBreaker(1, Duration.ofSeconds(30))
                .build());
        r.record(CheckResult.up(), Cause.REPORTED, Duration.ZERO, 0);
        CheckEntry first = r.record(CheckResult.down("x"), Cause.REPORTED, Duration.ZERO, S);
        CheckEntry second = r.record(CheckResult.down("x"), Cause.REPORTED, Duration.ZERO, 2 * S);
        assertThat(first.status()).isEqualTo(Status.UP);
        assertThat(second.breaker()).isEqualTo(BreakerState.CLOSED);
        CheckEntry reported = r.record(CheckResult.down("x"), Cause.REPORTED, Duration.ZERO, 3 * S);
        assertThat(reported.status()).isEqualTo(Status.DOWN);
        assertThat(reported.breaker()).as("the first reported failure").isEqualTo(BreakerState.OPEN);
        assertThat(r.breakerWait(4 * S)).isEqualTo(29 * S);
    }

    @Test
    void theBreakerCountsReportedFailuresInARow() {
        Recorder r = recorder(CheckPolicy.builder()
                .thresholds(1, 1)
                .circuitBreaker(2, Duration.ofSeconds(30))
                .build());
        assertThat(r.record(CheckResult.down("x"), Cause.REPORTED, Duration.ZERO, 0)
                        .breaker())
                .isEqualTo(BreakerState.CLOSED);
        r.record(CheckResult.up(), Cause.REPORTED, Duration.ZERO, S); // a success resets the count
        assertThat(r.record(CheckResult.down("x"), Cause.REPORTED, Duration.ZERO, 2 * S)
                        .breaker())
                .isEqualTo(BreakerState.CLOSED);
        assertThat(r.record(CheckResult.down("x"), Cause.TIMEOUT, Duration.ZERO, 3 * S)
                        .breaker())
                .isEqualTo(BreakerState.OPEN);
    }

    @Test
    void anOpenBreakerServesTheLastReportedStatusWithItsHistory() {
        CheckPolicy policy =
                CheckPolicy.builder().circuitBreaker(1, Duration.ofSeconds(30)).build();
        Recorder r = recorder(policy);
        r.record(CheckResult.up(), Cause.REPORTED, Duration.ZERO, 0);
        CheckEntry down = r.record(CheckResult.down("refused"), Cause.REPORTED, Duration.ZERO, S);
        CheckEntry open = new Views("db", policy, CheckKind.DEPENDENCY).open(r.last(), r.breakerWait(2 * S));
        assertThat(open.status()).isEqualTo(down.status());
        assertThat(open.cause()).isEqualTo(Cause.CIRCUIT_OPEN);
        assertThat(open.message()).contains("refused");
        assertThat(open.since()).isEqualTo(down.since());
        assertThat(open.retryAfter()).isEqualTo(Duration.ofSeconds(29));
    }

    @Test
    void aRejectedViewCountsNothingAndKeepsTheRecordedHistory() {
        CheckPolicy policy = CheckPolicy.builder().thresholds(1, 2).build();
        Recorder r = recorder(policy);
        CheckEntry up = r.record(CheckResult.up(), Cause.REPORTED, Duration.ZERO, 0);
        CheckEntry rejected = new Views("db", policy, CheckKind.DEPENDENCY).rejected(r.last(), true);
        assertThat(rejected.cause()).isEqualTo(Cause.REJECTED);
        assertThat(rejected.since())
                .as("a DOWN view of an UP check does not know since when")
                .isNull();
        assertThat(rejected.lastSuccess()).isEqualTo(up.lastSuccess());
        assertThat(r.last()).isSameAs(up);
        assertThat(r.record(CheckResult.up(), Cause.REPORTED, Duration.ZERO, S).status())
                .isEqualTo(Status.UP);
    }

    @Test
    void transitionsTakeTheEnginesSequenceNumbers() {
        Recorder r = recorder(CheckPolicy.defaults());
        r.record(CheckResult.up(), Cause.REPORTED, Duration.ZERO, 0); // the first result: no transition
        r.record(CheckResult.down("x"), Cause.REPORTED, Duration.ZERO, S);
        r.record(CheckResult.up(), Cause.REPORTED, Duration.ZERO, 2 * S);
        assertThat(sequence.get()).isEqualTo(2);
    }
}
