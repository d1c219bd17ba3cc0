package io.vigil.health.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuiltInChecksTest {
    @TempDir
    Path dir;

    @Test
    void pingIsUp() {
        assertThat(new PingCheck().check().status()).isEqualTo(Status.UP);
    }

    @Test
    void diskSpaceFollowsItsThresholds() throws Exception {
        assertThat(new DiskSpaceCheck(dir, 0, 0).check().status()).isEqualTo(Status.UP);
        CheckResult down = new DiskSpaceCheck(dir, Long.MAX_VALUE, Long.MAX_VALUE).check();
        assertThat(down.status()).isEqualTo(Status.DOWN);
        assertThat(down.data()).containsKeys("freeBytes", "totalBytes", "minFreeBytes");
        assertThat(new DiskSpaceCheck(dir, 0, Long.MAX_VALUE).check().status()).isEqualTo(Status.DEGRADED);
    }

    @Test
    void deadlockedThreadsMakeTheDeadlockCheckDown() throws Exception {
        DeadlockCheck check = new DeadlockCheck();
        assertThat(check.check().status()).isEqualTo(Status.UP);
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        CountDownLatch bothHeld = new CountDownLatch(2);
        Thread t1 = new Thread(() -> lockBoth(a, b, bothHeld), "deadlock-one");
        Thread t2 = new Thread(() -> lockBoth(b, a, bothHeld), "deadlock-two");
        t1.setDaemon(true);
        t2.setDaemon(true);
        t1.start();
        t2.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> check.check().status() == Status.DOWN);
        CheckResult r = check.check();
        assertThat(r.message()).contains("deadlock-one").contains("deadlock-two");
        assertThat(r.data()).containsEntry("deadlockedThreads", 2);
    }

    private static void lockBoth(ReentrantLock first, ReentrantLock second, CountDownLatch bothHeld) {
        first.lock();
        bothHeld.countDown();
        try {
            bothHeld.await();
            second.lock(); // never returns: the other thread holds it and waits for ours
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
