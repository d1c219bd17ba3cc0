package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** GC overhead with an injected ticker and collection time; threads and memory against this JVM. */
class ProcessChecksTest {
    private final AtomicLong now = new AtomicLong(42L);
    private final AtomicLong gcMillis = new AtomicLong(1_000);

    @Test
    void gcOverheadIsTheShareOfTheWindowSpentCollecting() {
        GcOverheadCheck check = GcOverheadCheck.builder().ticker(now::get).build(gcMillis::get);
        assertThat(check.check().message()).isEqualTo("not enough data: window warming up");

        now.addAndGet(Duration.ofSeconds(30).toNanos());
        gcMillis.addAndGet(12_000);
        CheckResult warn = check.check();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        gcMillis.addAndGet(29_000);
        CheckResult busy = check.check();
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        gcMillis.addAndGet(30_000);
        CheckResult thrashing = check.check();
        for (int i = 0; i < 13; i++) { // a minute and more of calm: the thrashing leaves the window
            now.addAndGet(Duration.ofSeconds(5).toNanos());
            gcMillis.addAndGet(50);
            check.check();
        }
        CheckResult calm = check.check();

        assertThat(warn.status()).isEqualTo(Status.UP);
        assertThat(warn.data()).containsEntry("gcPercent", 40.0);
        // 41 s of GC in 60 s is 68 %, above the warn limit only: DOWN needs more than 90 %
        assertThat(busy.status()).isEqualTo(Status.DEGRADED);
        assertThat(busy.data()).containsEntry("gcPercent", 68.3333).containsEntry("windowSeconds", 60.0);
        assertThat(busy.message()).isEqualTo("time in GC 68.33 % is above the warn limit 50 % over the last 60 s");
        // the last minute: 59 s of GC
        assertThat(thrashing.status()).isEqualTo(Status.DOWN);
        assertThat(thrashing.data()).containsEntry("gcPercent", 98.3333);
        assertThat(calm.status()).isEqualTo(Status.UP);
        assertThat(calm.data()).containsEntry("gcPercent", 1.0);
    }

    @Test
    void liveThreadsAboveTheLimitDegradeUntilTheyEnd() throws InterruptedException {
        int before = ManagementFactory.getThreadMXBean().getThreadCount();
        ThreadCheck check = ThreadCheck.builder().warnAbove(before + 5).build();
        CountDownLatch release = new CountDownLatch(1);
        List<Thread> extra = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "parked-" + i);
            t.start();
            extra.add(t);
        }
        CheckResult busy = check.check();
        release.countDown();
        for (Thread t : extra) {
            t.join(10_000);
        }
        CheckResult calm = check.check();

        assertThat(busy.status()).isEqualTo(Status.DEGRADED);
        assertThat(busy.message()).contains("is above the warn limit " + (before + 5));
        assertThat(calm.status()).isEqualTo(Status.UP);
    }

    @Test
    void memoryOfThisJvmIsReportedWithHeapAfterGcAndBoundedPools() {
        CheckResult r = MemoryCheck.builder().build().check();

        assertThat(r.data())
                .containsKeys("heapAfterGcBytes", "heapMaxBytes", "heapAfterGcPercent", "heapUsedBytes")
                .containsEntry("warnAbove", 90.0)
                .containsEntry("failAbove", 97.0);
        assertThat(r.data().keySet()).anyMatch(k -> k.endsWith(" percent")); // e.g. the compressed class space
        assertThat(r.message()).startsWith("heap after GC (max ");
    }
}
