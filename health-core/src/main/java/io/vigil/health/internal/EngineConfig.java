package io.vigil.health.internal;

import io.vigil.health.Probe;
import io.vigil.health.Ticker;
import io.vigil.health.spi.HealthListener;
import io.vigil.health.spi.LicenseCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Everything the engine is built from, validated by {@link io.vigil.health.HealthRegistry.Builder}.
 *
 * @param clock                    stamps the times shown (results, locks)
 * @param ticker                   monotonic time that decides TTLs, backoff, lock expiry, the license TTL, staleness
 * @param executor                 the caller's executor for checks off liveness, or {@code null} for an own pool
 * @param maxThreads               bound of the own pool
 * @param livenessThreads          threads reserved for checks on the liveness probe
 * @param license                  the license check, or {@code null}
 * @param licenseTtl               how long a license state is reused
 * @param licenseTimeout           how long a probe waits for a license check with no usable state
 * @param licenseFailsLiveness     whether an invalid license fails liveness too
 * @param startupChecksMarkStarted whether passing startup checks mark the application started
 * @param notStartedProbes         probes that answer "not started" until started
 * @param startedImmediately       whether the application counts as started from the beginning
 * @param eventQueueCapacity       queue bound per listener
 * @param listeners                listeners, in order
 * @param historySize              transitions kept per check
 */
public record EngineConfig(
        Clock clock,
        Ticker ticker,
        @Nullable Executor executor,
        int maxThreads,
        int livenessThreads,
        @Nullable LicenseCheck license,
        Duration licenseTtl,
        Duration licenseTimeout,
        boolean licenseFailsLiveness,
        boolean startupChecksMarkStarted,
        Set<Probe> notStartedProbes,
        boolean startedImmediately,
        int eventQueueCapacity,
        List<HealthListener> listeners,
        int historySize) {
    /** Copies. */
    public EngineConfig {
        notStartedProbes = Set.copyOf(notStartedProbes);
        listeners = List.copyOf(listeners);
    }
}
