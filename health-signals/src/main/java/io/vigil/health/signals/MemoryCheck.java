package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM's memory: heap used <em>after the last garbage collection</em> against the maximum heap, and every
 * non-heap pool that has a maximum (Metaspace with {@code -XX:MaxMetaspaceSize}, the compressed class space, the
 * code cache) against it. Heap after GC is what is left once garbage is gone, so it climbing to the maximum means a
 * leak or a working set that no longer fits; heap in use without that qualification swings with every allocation
 * and means nothing.
 *
 * <pre>{@code
 * health.register("memory", MemoryCheck.builder().build(),
 *         CheckPolicy.builder().probes(Probe.LIVENESS, Probe.READINESS).build());
 * }</pre>
 *
 * DOWN above {@code failAbovePercent} (97 % by default), DEGRADED above {@code warnAbovePercent} (90 %), the worst
 * of heap and pools. Before the first collection the heap counts as empty. Data: {@code heapAfterGcBytes},
 * {@code heapMaxBytes}, {@code heapAfterGcPercent}, {@code heapUsedBytes}, and {@code <pool> percent} per non-heap
 * pool with a maximum.
 *
 * <p>Which probe: liveness and readiness. A heap that is still full after a collection does not recover on its own
 * and a restart cures it; the default fail limit is high enough that only an exhausted heap fails liveness.
 * Inline ({@link #nonBlocking()}): it reads the JVM's memory beans. Immutable and thread-safe.
 */
public final class MemoryCheck implements HealthCheck {
    private final Thresholds limits;

    private MemoryCheck(Builder b) {
        this.limits = b.limits.validated();
    }

    /** @return a builder with the defaults: warn above 90 %, fail above 97 % */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public boolean nonBlocking() {
        return true;
    }

    @Override
    public CheckResult check() {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        long afterGc = 0;
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (after != null) {
                afterGc += after.getUsed();
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long heapMax = heap.getMax() > 0 ? heap.getMax() : Runtime.getRuntime().maxMemory();
        double heapPercent = 100.0 * afterGc / heapMax;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("heapAfterGcBytes", afterGc);
        data.put("heapMaxBytes", heapMax);
        data.put("heapAfterGcPercent", Thresholds.round(heapPercent));
        data.put("heapUsedBytes", heap.getUsed());
        Worst worst = new Worst();
        worst.offer(
                limits.judge(heapPercent),
                limits.sentence(
                        limits.judge(heapPercent), "heap after GC (max " + (heapMax >> 20) + " MiB)", heapPercent, "%"),
                heapPercent);
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage u = pool.getType() == MemoryType.NON_HEAP ? pool.getUsage() : null;
            if (u == null || u.getMax() <= 0) {
                continue;
            }
            double percent = 100.0 * u.getUsed() / u.getMax();
            data.put(pool.getName() + " percent", Thresholds.round(percent));
            Status s = limits.judge(percent);
            if (s != Status.UP) {
                worst.offer(
                        s,
                        limits.sentence(s, pool.getName() + " (max " + (u.getMax() >> 20) + " MiB)", percent, "%"),
                        percent);
            }
        }
        limits.limits(data, "");
        return worst.result(data);
    }

    /** Settings of a {@link MemoryCheck}. Not thread-safe. */
    public static final class Builder {
        private Thresholds limits = Thresholds.NONE.withWarnAbove(90).withFailAbove(97);

        Builder() {}

        /**
         * @param percent DEGRADED when heap after GC or a bounded non-heap pool is strictly above this share of
         *                its maximum; 90 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder warnAbovePercent(double percent) {
            limits = limits.withWarnAbove(Percent.check(percent, "warnAbovePercent"));
            return this;
        }

        /**
         * @param percent DOWN when heap after GC or a bounded non-heap pool is strictly above this share of its
         *                maximum; 97 by default
         * @return this builder
         * @throws IllegalArgumentException if not in [0, 100]
         */
        public Builder failAbovePercent(double percent) {
            limits = limits.withFailAbove(Percent.check(percent, "failAbovePercent"));
            return this;
        }

        /**
         * @return the check
         * @throws IllegalArgumentException if the warn limit exceeds the fail limit
         */
        public MemoryCheck build() {
            return new MemoryCheck(this);
        }
    }
}
