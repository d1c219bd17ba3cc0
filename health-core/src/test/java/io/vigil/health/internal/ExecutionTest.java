package io.vigil.health.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

/** The execution's state machine: QUEUED → RUNNING → COMPLETED | TIMED_OUT | ABANDONED, each move at most once. */
class ExecutionTest {
    private static Execution queued() {
        return new Execution(null, Deadline.after(Duration.ofSeconds(1)), false, true);
    }

    @Test
    void onlyOneThreadStartsAnExecution() {
        Execution e = queued();
        assertThat(e.queued()).isTrue();
        assertThat(e.start()).isTrue();
        assertThat(e.start()).isFalse();
        assertThat(e.state()).isEqualTo(Execution.RUNNING);
    }

    @Test
    void aQueuedExecutionIsAbandonedNeverTimedOut() {
        Execution e = queued();
        assertThat(e.timeOutLocked()).as("never started: not a timeout").isFalse();
        assertThat(e.abandonQueuedLocked()).isTrue();
        assertThat(e.start()).as("an abandoned execution is never started late").isFalse();
        assertThat(e.state()).isEqualTo(Execution.ABANDONED);
    }

    @Test
    void aRunningExecutionTimesOutOnceAndItsLateResultIsNotRecorded() {
        Execution e = queued();
        e.start();
        assertThat(e.abandonQueuedLocked()).isFalse();
        assertThat(e.timeOutLocked()).isTrue();
        assertThat(e.finishLocked()).as("the late result").isFalse();
        assertThat(e.state()).isEqualTo(Execution.TIMED_OUT);
    }

    @Test
    void aFinishedExecutionCannotTimeOutAnyMore() {
        Execution e = queued();
        e.start();
        assertThat(e.finishLocked()).isTrue();
        assertThat(e.timeOutLocked()).isFalse();
        assertThat(e.abandonRunningLocked()).isFalse();
        assertThat(e.state()).isEqualTo(Execution.COMPLETED);
    }

    @Test
    void anInterruptedCallersRunningExecutionIsAbandonedNotFinished() {
        Execution e = queued();
        e.start();
        assertThat(e.abandonRunningLocked()).isTrue();
        assertThat(e.finishLocked()).isFalse();
        assertThat(e.state()).isEqualTo(Execution.ABANDONED);
    }

    @Test
    void anExecutorThatRunsTheTaskOnTheHandingOffThreadHasNotTakenIt() {
        Execution e = queued();
        Executor direct = Runnable::run;
        assertThat(e.handOff(direct)).isFalse();
        assertThat(e.queued()).as("not started on the probing thread").isTrue();
    }

    @Test
    void aRejectingExecutorHasNotTakenIt() {
        Execution e = queued();
        Executor full = r -> {
            throw new RejectedExecutionException("full");
        };
        assertThat(e.handOff(full)).isFalse();
        assertThat(e.queued()).isTrue();
    }

    @Test
    void anExecutorThatKeepsTheTaskForLaterHasTakenIt() {
        Execution e = queued();
        Runnable[] kept = new Runnable[1];
        assertThat(e.handOff(r -> kept[0] = r)).isTrue();
        assertThat(kept[0]).isSameAs(e);
    }

    @Test
    void aDeadlineHandsAChecksBudgetOfAtLeastOneNanosecond() {
        Deadline past = Deadline.after(Duration.ofNanos(-5));
        assertThat(past.passed()).isTrue();
        assertThat(past.budget()).isEqualTo(Duration.ofNanos(1));
        Deadline future = Deadline.after(Duration.ofHours(1));
        assertThat(future.passed()).isFalse();
        assertThat(future.budget()).isGreaterThan(Duration.ofMinutes(59));
    }
}
