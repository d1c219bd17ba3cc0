package io.vigil.health.checks;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * DOWN when the JVM has threads deadlocked on monitors or ownable synchronizers: a process that cannot
 * recover on its own, so a good liveness check. Data: {@code deadlockedThreads} (count) and, in the message,
 * up to five thread names.
 */
public final class DeadlockCheck implements HealthCheck {
    /** Creates the check over this JVM's thread MXBean. */
    public DeadlockCheck() {}

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    @Override
    public CheckResult check() {
        long[] ids = threads.isSynchronizerUsageSupported()
                ? threads.findDeadlockedThreads()
                : threads.findMonitorDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return CheckResult.up().withData("deadlockedThreads", 0);
        }
        String names = Arrays.stream(threads.getThreadInfo(ids))
                .filter(i -> i != null)
                .limit(5)
                .map(ThreadInfo::getThreadName)
                .collect(Collectors.joining(", "));
        return CheckResult.down(ids.length + " threads deadlocked: " + names).withData("deadlockedThreads", ids.length);
    }
}
