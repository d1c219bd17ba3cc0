package io.vigil.health.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.signals.MeterCheck;
import io.vigil.health.signals.MeterQuery;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Registers a {@link MeterCheck} on readiness for every {@code vigil.health.meters.<name>.*}, over the application's
 * {@code MeterRegistry}. Loaded only with Micrometer on the class path; a meter threshold without a registry bean
 * fails start-up naming the setting.
 */
final class MeterThresholds implements SmartInitializingSingleton {
    private final HealthRegistry registry;
    private final VigilHealthProperties health;
    private final VigilSignalsProperties signals;
    private final ObjectProvider<MeterRegistry> meters;

    MeterThresholds(
            HealthRegistry registry,
            VigilHealthProperties health,
            VigilSignalsProperties signals,
            ObjectProvider<MeterRegistry> meters) {
        this.registry = registry;
        this.health = health;
        this.signals = signals;
        this.meters = meters;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (signals.getMeters().isEmpty()) {
            return;
        }
        MeterRegistry meterRegistry = meters.getIfAvailable();
        for (Map.Entry<String, VigilSignalsProperties.Meter> e :
                signals.getMeters().entrySet()) {
            String where = VigilHealthProperties.PREFIX + ".meters." + e.getKey() + ".*";
            if (meterRegistry == null) {
                throw new IllegalStateException(where + " set, but the application has no MeterRegistry bean");
            }
            MeterCheck check;
            try {
                check = build(meterRegistry, e.getValue());
            } catch (IllegalArgumentException | NullPointerException ex) {
                throw new IllegalStateException(
                        "cannot build meter threshold '" + e.getKey() + "' (settings " + where + "): "
                                + ex.getMessage(),
                        ex);
            }
            CheckRegistrar.register(registry, health, e.getKey(), check, CheckPolicy.defaults());
        }
    }

    private static MeterCheck build(MeterRegistry registry, VigilSignalsProperties.Meter m) {
        if (m.getMeter() == null) {
            throw new IllegalArgumentException("meter (the meter's name) is not set");
        }
        MeterQuery query = new MeterQuery(m.getMeter(), m.getTags());
        MeterCheck.Builder b = switch (m.getType()) {
            case GAUGE -> MeterCheck.gauge(registry, query);
            case RATE -> MeterCheck.rate(registry, query);
            case RATIO ->
                MeterCheck.ratio(
                        registry,
                        query,
                        new MeterQuery(
                                m.getDenominatorMeter() != null ? m.getDenominatorMeter() : m.getMeter(),
                                m.getDenominatorTags()));
            case PERCENTILE -> MeterCheck.percentile(registry, query, m.getPercentile());
            case MAX -> MeterCheck.max(registry, query);
        };
        if (m.getWarnAbove() != null) {
            b.warnAbove(m.getWarnAbove());
        }
        if (m.getFailAbove() != null) {
            b.failAbove(m.getFailAbove());
        }
        if (m.getWarnBelow() != null) {
            b.warnBelow(m.getWarnBelow());
        }
        if (m.getFailBelow() != null) {
            b.failBelow(m.getFailBelow());
        }
        if (m.getMinSamples() != null) {
            b.minSamples(m.getMinSamples());
        }
        return b.window(m.getWindow()).whenMissing(m.getWhenMissing()).build();
    }
}
