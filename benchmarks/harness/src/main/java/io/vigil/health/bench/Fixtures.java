package io.vigil.health.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/** The check fixtures every scenario uses, identical for every library. */
public final class Fixtures {

    private Fixtures() {}

    /**
     * @param n how many
     * @return {@code n} checks named {@code check-01}, {@code check-02}, … that do nothing and are UP
     */
    public static List<NamedCheck> trivial(int n) {
        List<NamedCheck> out = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            out.add(new NamedCheck(String.format("check-%02d", i), () -> {}));
        }
        return out;
    }

    /**
     * @param name  the name
     * @param delay how long each call sleeps before answering UP
     * @return a slow check
     */
    public static NamedCheck sleeping(String name, Duration delay) {
        long millis = delay.toMillis();
        return new NamedCheck(name, () -> Thread.sleep(millis));
    }

    /** Counts how often a check body really ran. Thread-safe. */
    public static final class Counter {
        private final AtomicInteger runs = new AtomicInteger();

        /**
         * @param check the check to count
         * @return the same check, counting its runs
         */
        public NamedCheck count(NamedCheck check) {
            return new NamedCheck(check.name(), () -> {
                runs.incrementAndGet();
                check.body().run();
            });
        }

        /** @return runs so far */
        public int runs() {
            return runs.get();
        }
    }

    /**
     * A check that never returns until {@link #close()}: it ignores interrupts, like a read on a socket whose peer
     * has gone silent. Closing releases every stuck call, so that the JVM can end cleanly. Thread-safe.
     */
    public static final class Blocker implements AutoCloseable {
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicInteger entered = new AtomicInteger();
        private final CompletableFuture<Void> stage = new CompletableFuture<>();

        /**
         * @param name the name
         * @return a check that blocks every call until this blocker is closed
         */
        public NamedCheck check(String name) {
            return new NamedCheck(name, new BenchCheck() {
                @Override
                public void run() {
                    entered.incrementAndGet();
                    boolean interrupted = false;
                    while (released.getCount() > 0) {
                        try {
                            released.await();
                        } catch (InterruptedException e) {
                            interrupted = true; // a stuck socket read does not care either
                        }
                    }
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }

                /** An asynchronous call to a silent peer: a stage that completes only at {@link #close()}. */
                @Override
                public CompletionStage<Void> start() {
                    entered.incrementAndGet();
                    return stage;
                }
            });
        }

        /** @return how many calls have entered the check */
        public int entered() {
            return entered.get();
        }

        @Override
        public void close() {
            released.countDown();
            stage.complete(null);
        }
    }
}
