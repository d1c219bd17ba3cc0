package io.vigil.health.microprofile;

import io.vigil.health.CheckEntry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.format.ReportWriter;
import java.lang.annotation.Annotation;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * Runs MicroProfile Health checks unchanged on a Vigil {@link HealthRegistry}.
 *
 * <p><b>Names.</b> Vigil registers every check under a unique name before it ever runs; MicroProfile learns a
 * check's name from each response, and two checks may answer with the same name. So a MicroProfile check is
 * registered under its class name ({@code com.acme.DbCheck}, then {@code com.acme.DbCheck#2} for a second
 * instance of the class; the CDI extension uses {@code DeclaringClass#producerMethod} for producers), and the
 * name from its latest response travels with the result under the data key {@value #RESPONSE_NAME_KEY}. The
 * MicroProfile JSON of {@link #strictJsonWriter()} shows that name and drops the key; a check that threw,
 * returned {@code null}, timed out or never ran is shown under its registered name (MicroProfile: "the runtime
 * class name of the failing check"). Vigil's own JSON shows the registered name and, with details, the key.
 *
 * <p><b>Mapping.</b> {@code UP} and {@code DOWN} map to themselves, data entries are kept in order, a response
 * without a status or a {@code null} response is DOWN. Everything else (timeout, cache, thresholds, breaker) is
 * the registration's {@link CheckPolicy}. Thread-safe; no state.
 */
public final class MicroProfileChecks {
    /** Data key carrying the name a MicroProfile response reported. */
    public static final String RESPONSE_NAME_KEY = "microprofile.name";

    private static final ReportWriter STRICT_JSON = new ResponseNameJsonWriter();

    private MicroProfileChecks() {}

    /**
     * Registers a check on the probes its {@code @Liveness}, {@code @Readiness} and {@code @Startup} annotations
     * name (several allowed), with Vigil's default policy otherwise (required, 1 s timeout, 1 s cache).
     *
     * @param registry the registry
     * @param check    the MicroProfile check
     * @return the registered name
     * @throws IllegalArgumentException if the check's class carries none of the three annotations
     */
    public static String register(HealthRegistry registry, HealthCheck check) {
        Objects.requireNonNull(check, "check");
        Set<Probe> probes = probesOf(check.getClass());
        if (probes.isEmpty()) {
            throw new IllegalArgumentException(check.getClass().getName() + " carries none of @Liveness, @Readiness,"
                    + " @Startup; pass a CheckPolicy naming its probes");
        }
        return register(registry, check, policyFor(CheckPolicy.defaults(), probes));
    }

    /**
     * Registers a check with an explicit policy (the policy's probes apply; annotations are ignored).
     *
     * @param registry the registry
     * @param check    the MicroProfile check
     * @param policy   how to run it
     * @return the registered name: the check's class name, with {@code #2}, {@code #3}… when taken
     */
    public static String register(HealthRegistry registry, HealthCheck check, CheckPolicy policy) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(policy, "policy");
        return registerUnique(registry, check.getClass().getName(), adapt(check), policy);
    }

    /**
     * Wraps a MicroProfile check as a Vigil check (for registries configured by hand).
     *
     * @param check the MicroProfile check
     * @return a Vigil check calling it once per evaluation
     */
    public static io.vigil.health.HealthCheck adapt(HealthCheck check) {
        Objects.requireNonNull(check, "check");
        return () -> toResult(check.call());
    }

    /**
     * @param response a MicroProfile response, may be {@code null}
     * @return the Vigil result: same status (a missing status or response is DOWN), data kept, and the response's
     *         name under {@value #RESPONSE_NAME_KEY}
     */
    public static CheckResult toResult(HealthCheckResponse response) {
        if (response == null) {
            return CheckResult.down("the MicroProfile check returned no response");
        }
        HealthCheckResponse.Status s = response.getStatus();
        CheckResult r = s == HealthCheckResponse.Status.UP
                ? CheckResult.up()
                : CheckResult.down(s == null ? "the MicroProfile response has no status" : "");
        java.util.Optional<Map<String, Object>> data = response.getData();
        if (data != null && data.isPresent() && !data.get().isEmpty()) {
            Map<String, Object> copy = new LinkedHashMap<>();
            data.get().forEach((k, v) -> {
                if (k != null && !RESPONSE_NAME_KEY.equals(k)) {
                    copy.put(k, v);
                }
            });
            r = r.withData(copy);
        }
        String name = response.getName();
        return name == null || name.isBlank() ? r : r.withData(RESPONSE_NAME_KEY, name);
    }

    /**
     * @param type a check class
     * @return the probes its {@code @Liveness}, {@code @Readiness} and {@code @Startup} annotations name
     */
    public static Set<Probe> probesOf(Class<?> type) {
        return probesOf(List.of(type.getAnnotations()));
    }

    /**
     * @param qualifiers annotations, e.g. a CDI bean's qualifiers
     * @return the probes named by the MicroProfile qualifiers among them
     */
    public static Set<Probe> probesOf(Collection<? extends Annotation> qualifiers) {
        Set<Probe> probes = EnumSet.noneOf(Probe.class);
        for (Annotation a : qualifiers) {
            Class<? extends Annotation> t = a.annotationType();
            if (t == Liveness.class) {
                probes.add(Probe.LIVENESS);
            } else if (t == Readiness.class) {
                probes.add(Probe.READINESS);
            } else if (t == Startup.class) {
                probes.add(Probe.STARTUP);
            }
        }
        return probes;
    }

    /**
     * @param entry an entry of a report
     * @return the name a MicroProfile consumer sees: the latest response's name, else the registered name
     */
    public static String displayName(CheckEntry entry) {
        return entry.data().get(RESPONSE_NAME_KEY) instanceof String s ? s : entry.name();
    }

    /**
     * The {@code application/json} writer of this module's endpoints: exactly the MicroProfile Health schema
     * ({@code status}, {@code checks} of {@code name}, {@code status} and {@code data} only when there is data),
     * checks shown under {@link #displayName(CheckEntry)}. Plug it in with
     * {@link io.vigil.health.endpoint.HealthHandler.Builder#jsonWriter(ReportWriter)}.
     *
     * @return the shared, stateless writer
     */
    public static ReportWriter strictJsonWriter() {
        return STRICT_JSON;
    }

    static CheckPolicy policyFor(CheckPolicy template, Set<Probe> probes) {
        Probe[] all = probes.toArray(new Probe[0]);
        return template.toBuilder()
                .probes(all[0], java.util.Arrays.copyOfRange(all, 1, all.length))
                .build();
    }

    /** Registers under {@code base}, or {@code base#2}, {@code base#3}… when taken; names stay within the limit. */
    static String registerUnique(
            HealthRegistry registry, String base, io.vigil.health.HealthCheck check, CheckPolicy policy) {
        String stem = base.length() > HealthRegistry.MAX_NAME_LENGTH - 8
                ? base.substring(base.length() - (HealthRegistry.MAX_NAME_LENGTH - 8))
                : base;
        for (int i = 1; ; i++) {
            String name = i == 1 ? stem : stem + "#" + i;
            if (registry.checkNames().contains(name)) {
                continue;
            }
            try {
                registry.register(name, check, policy);
                return name;
            } catch (IllegalArgumentException e) {
                if (!registry.checkNames().contains(name)) {
                    throw e; // not a lost race for the name
                }
            }
        }
    }

    /** Drops the internal key from the data a consumer sees. */
    static Map<String, Object> visibleData(CheckEntry entry) {
        if (!entry.data().containsKey(RESPONSE_NAME_KEY)) {
            return entry.data();
        }
        Map<String, Object> copy = new LinkedHashMap<>(entry.data());
        copy.remove(RESPONSE_NAME_KEY);
        return copy;
    }
}
