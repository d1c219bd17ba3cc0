package io.vigil.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.BreakerState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerTest {
    private static final long S = 1_000_000_000L;

    @Test
    void opensAfterItsFailuresInARowAndWaitsItsBackoff() {
        Breaker b = new Breaker(3, Duration.ofSeconds(30));
        assertThat(b.onFailure(0, 1)).isNull();
        assertThat(b.onFailure(S, 2)).isNull();
        assertThat(b.onFailure(2 * S, 3)).isEqualTo(new Breaker.Transition(BreakerState.CLOSED, BreakerState.OPEN));
        assertThat(b.waitNanos(2 * S)).isEqualTo(30 * S);
        assertThat(b.waitNanos(12 * S)).isEqualTo(20 * S);
        assertThat(b.waitNanos(32 * S)).isZero();
        assertThat(b.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aTrialThatFailsOpensAgainForAFullBackoff() {
        Breaker b = new Breaker(1, Duration.ofSeconds(10));
        b.onFailure(0, 1);
        assertThat(b.beginCall()).isEqualTo(new Breaker.Transition(BreakerState.OPEN, BreakerState.HALF_OPEN));
        assertThat(b.onFailure(11 * S, 2)).isEqualTo(new Breaker.Transition(BreakerState.HALF_OPEN, BreakerState.OPEN));
        assertThat(b.waitNanos(11 * S)).isEqualTo(10 * S);
    }

    @Test
    void aSuccessfulTrialCloses() {
        Breaker b = new Breaker(1, Duration.ofSeconds(10));
        b.onFailure(0, 1);
        b.beginCall();
        assertThat(b.onSuccess()).isEqualTo(new Breaker.Transition(BreakerState.HALF_OPEN, BreakerState.CLOSED));
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.retryAfter()).isNull();
        assertThat(b.onSuccess()).isNull();
    }

    @Test
    void aFailureWhileOpenRestartsTheBackoffWithoutATransition() {
        Breaker b = new Breaker(1, Duration.ofSeconds(10));
        b.onFailure(0, 1);
        assertThat(b.onFailure(5 * S, 2)).isNull(); // e.g. a stuck execution counted while open
        assertThat(b.waitNanos(5 * S)).isEqualTo(10 * S);
    }

    @Test
    void aDisabledBreakerNeverOpens() {
        Breaker b = new Breaker(0, Duration.ofSeconds(10));
        for (int i = 1; i < 100; i++) {
            assertThat(b.onFailure(i, i)).isNull();
        }
        assertThat(b.waitNanos(100)).isZero();
        assertThat(b.beginCall()).isNull();
    }

    @Test
    void backoffIsMeasuredOnTheTickerWhateverItsOrigin() {
        Breaker b = new Breaker(1, Duration.ofSeconds(10));
        long origin = Long.MAX_VALUE - 3 * S; // nanoTime may be anywhere, even near overflow
        b.onFailure(origin, 1);
        assertThat(b.waitNanos(origin + 4 * S)).isEqualTo(6 * S);
        assertThat(b.waitNanos(origin + 4 * S + 6 * S)).isZero(); // wraps past Long.MAX_VALUE
    }
}
