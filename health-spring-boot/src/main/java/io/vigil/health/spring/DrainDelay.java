package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Stops first of all lifecycle beans (before the web server's graceful shutdown): begins draining and then waits
 * {@code vigil.health.drain-delay}, so that load balancers and kubelet see readiness 503 while the server still
 * accepts requests.
 */
final class DrainDelay implements SmartLifecycle {
    private final HealthRegistry registry;
    private final Duration delay;
    private volatile boolean running;

    DrainDelay(HealthRegistry registry, Duration delay) {
        this.registry = registry;
        this.delay = delay;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        registry.startDraining();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** @return {@link SmartLifecycle#DEFAULT_PHASE}: above the web server's phases, so it stops before them */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
