package io.vigil.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Status;
import org.junit.jupiter.api.Test;

class DamperTest {
    @Test
    void theFirstResultIsReportedAsItIs() {
        assertThat(new Damper(3, 2).record(Status.DOWN, "refused").status()).isEqualTo(Status.DOWN);
        assertThat(new Damper(3, 2).record(Status.UP, "").status()).isEqualTo(Status.UP);
    }

    @Test
    void failuresBelowTheThresholdAreToleratedAndSaySo() {
        Damper d = new Damper(3, 1);
        d.record(Status.UP, "");
        Damper.Verdict first = d.record(Status.DOWN, "refused");
        assertThat(first.status()).isEqualTo(Status.UP);
        assertThat(first.message()).isEqualTo("tolerated failure 1/3: refused");
        assertThat(d.record(Status.DOWN, "refused").status()).isEqualTo(Status.UP);
        Damper.Verdict third = d.record(Status.DOWN, "refused");
        assertThat(third.status()).isEqualTo(Status.DOWN);
        assertThat(third.message()).isEqualTo("refused");
        assertThat(d.consecutiveFailures()).isEqualTo(3);
    }

    @Test
    void aSuccessResetsTheFailureStreak() {
        Damper d = new Damper(2, 1);
        d.record(Status.UP, "");
        d.record(Status.DOWN, "x");
        d.record(Status.UP, "");
        assertThat(d.consecutiveFailures()).isZero();
        assertThat(d.record(Status.DOWN, "x").status())
                .as("a new streak starts at 1")
                .isEqualTo(Status.UP);
    }

    @Test
    void aDownCheckNeedsItsSuccessesInARowToRecover() {
        Damper d = new Damper(1, 3);
        d.record(Status.DOWN, "x");
        Damper.Verdict first = d.record(Status.UP, "");
        assertThat(first.status()).isEqualTo(Status.DOWN);
        assertThat(first.message()).isEqualTo("recovering, success 1/3");
        d.record(Status.UP, "");
        assertThat(d.record(Status.DEGRADED, "lag").status()).isEqualTo(Status.DEGRADED);
        assertThat(d.reported()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void degradedIsNotAFailure() {
        Damper d = new Damper(1, 2);
        d.record(Status.UP, "");
        assertThat(d.record(Status.DEGRADED, "lag").status()).isEqualTo(Status.DEGRADED);
        assertThat(d.consecutiveFailures()).isZero();
    }
}
