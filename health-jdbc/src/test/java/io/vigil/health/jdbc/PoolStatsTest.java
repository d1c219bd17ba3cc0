package io.vigil.health.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a check borrows from the application's pool and when it reports the pool's state instead. */
class PoolStatsTest {

    private static CheckResult refusal(int active, int idle, int total, int waiting, int max) {
        return new PoolStats(active, idle, total, waiting, max).refusal("query not run", Map.of());
    }

    @Test
    void aPoolWithFreeConnectionsAndNobodyWaitingIsBorrowedFrom() {
        assertThat(refusal(9, 1, 10, 0, 10))
                .as("the last idle one, nobody waiting")
                .isNull();
        assertThat(refusal(1, 0, 1, 0, 10)).as("room to grow").isNull();
        assertThat(refusal(0, 0, 0, 3, 10))
                .as("a pool failing to connect: borrowing tells why")
                .isNull();
    }

    @Test
    void anExhaustedPoolIsNeverBorrowedFrom() {
        CheckResult r = refusal(10, 0, 10, 0, 10);

        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message())
                .isEqualTo("connection pool exhausted (10 of 10 connections in use, 0 threads waiting);"
                        + " query not run");
    }

    @Test
    void theLastFreeSlotIsLeftToTheApplicationsWaitingThreads() {
        CheckResult oneFreeOneWaiting = refusal(9, 0, 9, 1, 10);
        CheckResult twoFreeThreeWaiting = refusal(8, 1, 9, 3, 10);

        assertThat(oneFreeOneWaiting.status()).isEqualTo(Status.DEGRADED);
        assertThat(oneFreeOneWaiting.message())
                .isEqualTo("connection pool busy (9 of 10 connections in use, 1 thread"
                        + " waiting); query not run, not competing with the application for the last free connection");
        assertThat(twoFreeThreeWaiting.status()).isEqualTo(Status.DEGRADED);
        assertThat(refusal(8, 0, 8, 1, 10))
                .as("two free, one waiting: one is left for the application")
                .isNull();
    }
}
