package io.vigil.health.spring;

import io.vigil.health.CheckPolicy;
import io.vigil.health.Probe;
import java.util.Set;

/** Turns {@code vigil.health.*} settings into a check's {@link CheckPolicy}. */
final class Policies {
    private Policies() {}

    /**
     * @param properties the bound settings
     * @param name       the check's name
     * @param base       the policy the check would have without settings (its default probes)
     * @return the policy: base, then the global defaults, then {@code vigil.health.checks.<name>.*}
     */
    static CheckPolicy of(VigilHealthProperties properties, String name, CheckPolicy base) {
        CheckPolicy.Builder b =
                base.toBuilder().timeout(properties.getTimeout()).cacheTtl(properties.getCacheTtl());
        VigilHealthProperties.Check c = properties.getChecks().get(name);
        if (c == null) {
            return b.build();
        }
        Set<Probe> probes = c.getProbes();
        if (probes != null) {
            if (probes.isEmpty()) {
                b.noProbes();
            } else {
                Probe first = probes.iterator().next();
                Probe[] others = probes.stream().skip(1).toArray(Probe[]::new);
                b.probes(first, others);
            }
        }
        b.groups(c.getGroups().toArray(String[]::new));
        if (c.isOptional()) {
            b.optional();
        }
        if (c.getTimeout() != null) {
            b.timeout(c.getTimeout());
        }
        if (c.getCacheTtl() != null) {
            b.cacheTtl(c.getCacheTtl());
        }
        b.refreshEvery(c.getRefreshEvery()).thresholds(c.getFailureThreshold(), c.getSuccessThreshold());
        if (c.getBreakerFailures() > 0) {
            b.circuitBreaker(c.getBreakerFailures(), c.getBreakerBackoff());
        }
        if (c.isAllowOnLiveness()) {
            b.allowOnLiveness();
        }
        return b.build();
    }
}
