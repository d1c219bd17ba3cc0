package io.vigil.health.faults;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Fixtures of the fault suite: checks that misbehave on purpose, and registries closed after each test. */
final class Faults {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** @return a started registry without transition logging, closed after the test */
    HealthRegistry registry() {
        return track(HealthRegistry.builder()
                .startedImmediately()
                .logTransitions(false)
                .build());
    }

    HealthRegistry track(HealthRegistry r) {
        open.add(r);
        return r;
    }

    <T extends AutoCloseable> T closeLater(T c) {
        open.add(c);
        return c;
    }

    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** A check that blocks until released, ignoring interrupts (a socket read on a silent peer does too). */
    static final class Hang implements HealthCheck {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger interrupts = new AtomicInteger();
        private final int upFirst;

        /** @param upFirst how many calls answer UP at once before the check starts hanging */
        Hang(int upFirst) {
            this.upFirst = upFirst;
        }

        Hang() {
            this(0);
        }

        @Override
        public CheckResult check() {
            if (calls.incrementAndGet() <= upFirst) {
                return CheckResult.up();
            }
            entered.countDown();
            while (true) {
                try {
                    if (release.await(30, TimeUnit.SECONDS)) {
                        return CheckResult.up();
                    }
                    return CheckResult.down("never released");
                } catch (InterruptedException e) {
                    interrupts.incrementAndGet();
                }
            }
        }

        void awaitEntered() throws InterruptedException {
            if (!entered.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the check was never called");
            }
        }
    }

    /** A check that counts its calls and answers UP. */
    static final class Counting implements HealthCheck {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public CheckResult check() {
            calls.incrementAndGet();
            return CheckResult.up();
        }
    }
}
