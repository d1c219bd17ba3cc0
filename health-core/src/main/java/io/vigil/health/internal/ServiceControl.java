package io.vigil.health.internal;

import io.vigil.health.OutOfService;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's out-of-service switch: one atomic reference, consulted by the verdict next to draining. Every
 * change is logged once; repeating a call changes nothing and logs nothing. In memory only.
 */
public final class ServiceControl {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceControl.class);

    private final Clock clock;
    private final AtomicReference<OutOfService> state = new AtomicReference<>();

    /** @param clock stamps {@link OutOfService#since()} */
    public ServiceControl(Clock clock) {
        this.clock = clock;
    }

    /**
     * Takes the instance out of service, or, if it already is, replaces reason and name and keeps the time.
     *
     * @param reason why (validated by {@link OutOfService})
     * @param by     who
     * @return the state now
     * @throws IllegalArgumentException for a blank, too long or control-character reason or name
     */
    public OutOfService outOfService(String reason, String by) {
        OutOfService fresh = new OutOfService(reason, by, clock.instant()); // validates before anything changes
        while (true) {
            OutOfService old = state.get();
            OutOfService next = old == null ? fresh : new OutOfService(fresh.reason(), fresh.by(), old.since());
            if (old != null && next.equals(old)) {
                return old;
            }
            if (state.compareAndSet(old, next)) {
                LOG.atWarn()
                        .addKeyValue("reason", next.reason())
                        .addKeyValue("by", next.by())
                        .addKeyValue("since", next.since())
                        .log(
                                old == null
                                        ? "instance taken out of service: readiness answers 503 ({} by {})"
                                        : "out-of-service reason changed ({} by {})",
                                next.reason(),
                                next.by());
                return next;
            }
        }
    }

    /**
     * Puts the instance back in service.
     *
     * @return the state it left, or {@code null} if it was in service (nothing changed)
     */
    public OutOfService backInService() {
        OutOfService old = state.getAndSet(null);
        if (old != null) {
            LOG.atInfo()
                    .addKeyValue("reason", old.reason())
                    .addKeyValue("by", old.by())
                    .addKeyValue("since", old.since())
                    .log("instance back in service (was out since {}: {})", old.since(), old.reason());
        }
        return old;
    }

    /** @return the current state, or {@code null} when in service */
    public @Nullable OutOfService current() {
        return state.get();
    }
}
