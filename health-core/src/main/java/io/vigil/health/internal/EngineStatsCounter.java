package io.vigil.health.internal;

import java.util.concurrent.atomic.LongAdder;

/** The engine's own trouble counters that runners add to; thread-safe. */
final class EngineStatsCounter {
    private final LongAdder rejected = new LongAdder();

    void rejected() {
        rejected.increment();
    }

    long rejectedCount() {
        return rejected.sum();
    }
}
