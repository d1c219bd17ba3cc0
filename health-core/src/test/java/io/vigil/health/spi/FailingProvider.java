package io.vigil.health.spi;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import java.time.Duration;

/** A discovered provider that registers a refreshing check and then, while armed, throws. */
public final class FailingProvider implements HealthCheckProvider {
    /** Whether the next discovery fails; tests arm it and disarm it again. */
    static volatile boolean armed;

    /** For ServiceLoader. */
    public FailingProvider() {}

    @Override
    public void registerChecks(CheckRegistrar registry) {
        if (!armed) {
            return;
        }
        registry.register(
                "refreshing",
                CheckResult::up,
                CheckPolicy.builder().refreshEvery(Duration.ofMillis(50)).build());
        throw new IllegalStateException("provider configuration missing");
    }
}
