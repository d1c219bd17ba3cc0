package io.vigil.health.spring;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Scope;
import io.vigil.health.spi.HealthListener;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Ties the registry's lifecycle to Spring's: started on {@link ApplicationReadyEvent}, draining on
 * {@code REFUSING_TRAFFIC} or context close; Spring's {@link LivenessState#BROKEN} fails Vigil's liveness (through the
 * {@value #LIVENESS_CHECK} check), and a Vigil liveness failure is published to Spring as {@code BROKEN} (and
 * {@code CORRECT} once it passes again). Draining begun on the registry itself is published as
 * {@code REFUSING_TRAFFIC}. Events this mirror publishes carry it as source and are not mirrored back.
 */
final class AvailabilityMirror implements ApplicationListener<ApplicationEvent>, HealthListener {
    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityMirror.class);
    /** Name of the liveness check that reads Spring's liveness state. */
    static final String LIVENESS_CHECK = "liveness-state";

    private final HealthRegistry registry;
    private final ApplicationContext context;
    private final @Nullable ApplicationAvailability availability;
    // whether Spring's BROKEN was published by this mirror (then it must not fail Vigil's liveness in turn)
    private volatile boolean brokenByVigil;
    private volatile boolean refusingPublished;

    AvailabilityMirror(
            HealthRegistry registry, ApplicationContext context, @Nullable ApplicationAvailability availability) {
        this.registry = registry;
        this.context = context;
        this.availability = availability;
        if (availability != null && !registry.checkNames().contains(LIVENESS_CHECK)) {
            registry.register(
                    LIVENESS_CHECK,
                    () -> livenessState(availability),
                    CheckPolicy.builder()
                            .probes(Probe.LIVENESS)
                            .cacheTtl(Duration.ZERO)
                            .build());
        }
        registry.addListener(this);
    }

    /** No state published yet (start-up, before {@code ApplicationStartedEvent}) is not BROKEN. */
    private CheckResult livenessState(ApplicationAvailability availability) {
        LivenessState state = availability.getState(LivenessState.class);
        if (state == LivenessState.BROKEN && !brokenByVigil) {
            return CheckResult.down("Spring's liveness state is BROKEN");
        }
        return CheckResult.up().withData("state", state == null ? "not yet published" : state.name());
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (event instanceof ApplicationReadyEvent ready) {
            if (ready.getApplicationContext() == context) {
                registry.markStarted();
            }
        } else if (event instanceof ContextClosedEvent closed) {
            if (closed.getApplicationContext() == context) {
                registry.startDraining();
            }
        } else if (event instanceof AvailabilityChangeEvent<?> change && change.getSource() != this) {
            Object state = change.getState();
            if (state == ReadinessState.REFUSING_TRAFFIC) {
                refusingPublished = true;
                registry.startDraining();
            } else if (state == ReadinessState.ACCEPTING_TRAFFIC && registry.isDraining()) {
                LOG.warn("readiness state ACCEPTING_TRAFFIC ignored: the health registry is draining (irreversible)");
            } else if (state == LivenessState.BROKEN) {
                brokenByVigil = false;
            }
        }
    }

    @Override
    public void onProbeEvaluated(HealthReport report, Duration took) {
        if (!refusingPublished && registry.isDraining()) {
            refusingPublished = true;
            AvailabilityChangeEvent.publish(context, this, ReadinessState.REFUSING_TRAFFIC);
        }
    }

    @Override
    public void onOutcomeTransition(@Nullable Outcome from, HealthReport report) {
        if (availability == null || !report.scope().equals(Scope.of(Probe.LIVENESS))) {
            return;
        }
        boolean failing = !report.outcome().isPassing() && failsBeyondMirror(report);
        if (failing && !brokenByVigil && availability.getState(LivenessState.class) != LivenessState.BROKEN) {
            brokenByVigil = true;
            LOG.atWarn().addKeyValue("outcome", report.outcome()).log("liveness failed: publishing BROKEN to Spring");
            AvailabilityChangeEvent.publish(context, this, LivenessState.BROKEN);
        } else if (!failing && brokenByVigil) {
            brokenByVigil = false;
            LOG.info("liveness passes again: publishing CORRECT to Spring");
            AvailabilityChangeEvent.publish(context, this, LivenessState.CORRECT);
        }
    }

    /** Whether liveness fails for a reason other than Spring's own BROKEN state mirrored by our check. */
    private static boolean failsBeyondMirror(HealthReport report) {
        if (report.outcome() != Outcome.DOWN) {
            return true;
        }
        for (CheckEntry c : report.checks()) {
            if (c.failsProbe() && !c.name().equals(LIVENESS_CHECK)) {
                return true;
            }
        }
        return false;
    }
}
