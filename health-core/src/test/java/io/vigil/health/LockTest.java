package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vigil.health.test.LogCapture;
import io.vigil.health.test.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LockTest {
    private static final Duration FLUSH = Duration.ofSeconds(10);
    private final MutableClock clock = new MutableClock();
    private final HealthRegistry health = HealthRegistry.builder()
            .clock(clock)
            .ticker(clock::nanos)
            .startedImmediately()
            .build();

    @AfterEach
    void close() {
        health.close();
    }

    @Test
    void readinessIsLockedWhileAMigrationRunsAndLivenessIsNot() {
        try (TaskLock lock = health.lock("schema-migration", "Migrating schema to v42")) {
            assertThat(lock.isHeld()).isTrue();
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LOCKED);
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LOCKED);
            assertThat(health.evaluate(Probe.LIVENESS).outcome().isPassing()).isTrue();
            assertThat(health.evaluate(Probe.STARTUP).outcome().isPassing()).isTrue();
            assertThat(health.locks()).extracting(LockInfo::name).containsExactly("schema-migration");
        }
        assertThat(health.evaluate(Probe.READINESS).outcome().isPassing()).isTrue();
    }

    @Test
    void locksNestAndOverlap() {
        TaskLock outer = health.lock("import", "Importing patients");
        clock.advance(Duration.ofSeconds(1));
        TaskLock inner = health.lock("reindex", "Reindexing");
        assertThat(health.locks()).extracting(LockInfo::name).containsExactly("import", "reindex");
        outer.close();
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LOCKED);
        inner.close();
        inner.close(); // idempotent
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
    }

    @Test
    @SuppressWarnings("try") // the lock is held while the block runs; the block itself never touches it
    void aLockIsReleasedWhenTheTaskThrows() {
        assertThatThrownBy(() -> {
                    try (TaskLock ignored = health.lock("migration", "v43")) {
                        throw new IllegalStateException("migration failed");
                    }
                })
                .isInstanceOf(IllegalStateException.class);
        assertThat(health.locks()).isEmpty();
    }

    @Test
    void anExpiredLockIsReleasedWithAWarning() {
        try (LogCapture logs = LogCapture.of("io.vigil.health")) {
            TaskLock lock = health.lock("migration", "v44", Duration.ofMinutes(10));
            clock.advance(Duration.ofMinutes(4));
            HealthReport locked = health.evaluate(Probe.READINESS);
            assertThat(locked.retryAfter()).isEqualTo(Duration.ofMinutes(6));
            clock.advance(Duration.ofMinutes(6));
            assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
            assertThat(lock.isHeld()).isFalse();
            assertThat(health.flushEvents(FLUSH)).isTrue();
            assertThat(logs.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("expired"));
        }
    }

    @Test
    void locksTakenAndReleasedFromManyThreadsLeaveNothingBehind() throws Exception {
        int threads = 32;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 200; i++) {
                        try (TaskLock lock = health.lock("task-" + id, "work " + i)) {
                            assertThat(lock.isHeld()).isTrue();
                            assertThat(health.evaluate(Probe.READINESS).outcome())
                                    .isEqualTo(Outcome.LOCKED);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(health.locks()).isEmpty();
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.UP);
    }
}
