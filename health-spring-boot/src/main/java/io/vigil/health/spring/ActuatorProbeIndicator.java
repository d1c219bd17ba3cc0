package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Probe;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Stands in for Actuator's {@code livenessState}/{@code readinessState} indicators with
 * {@code vigil.health.actuator=true}, so that {@code /actuator/health/liveness} and {@code /readiness} answer what
 * Vigil's probe answers: UP and DEGRADED are {@code UP}, LOCKED is {@code OUT_OF_SERVICE}, anything else
 * {@code DOWN} (Actuator maps both to 503). Only the outcome is given as a detail.
 */
final class ActuatorProbeIndicator implements HealthIndicator {
    private final HealthRegistry registry;
    private final Probe probe;

    ActuatorProbeIndicator(HealthRegistry registry, Probe probe) {
        this.registry = registry;
        this.probe = probe;
    }

    @Override
    public Health health() {
        HealthReport report = registry.evaluate(probe);
        Health.Builder b = switch (report.outcome()) {
            case UP, DEGRADED -> Health.up();
            case LOCKED -> Health.outOfService();
            default -> Health.down();
        };
        return b.withDetail("outcome", report.outcome().name()).build();
    }
}
