package io.vigil.health.bench.smallrye;

import io.smallrye.health.SmallRyeHealthReporter;
import io.smallrye.health.api.HealthRegistry;
import io.smallrye.health.api.HealthType;
import io.smallrye.health.registry.HealthRegistries;
import io.vigil.health.bench.Library;
import io.vigil.health.bench.NamedCheck;
import io.vigil.health.bench.Subject;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * SmallRye Health's {@link SmallRyeHealthReporter} without CDI: checks go into SmallRye's readiness registry
 * ({@link HealthRegistries}, which is static, so {@link Subject#close()} takes them out again) and the answer is
 * written by {@code reportHealth}, as its HTTP handlers do. SmallRye waits for the checks for at most its
 * {@code timeoutSeconds} (default 60 s, whole seconds only); it is set to the scenario's timeout rounded up.
 */
public final class SmallRyeLibrary implements Library {

    /** Found by {@link java.util.ServiceLoader}. */
    public SmallRyeLibrary() {}

    @Override
    public String name() {
        return "SmallRye";
    }

    @Override
    public String version() {
        return Library.versionOf(SmallRyeHealthReporter.class, "io.smallrye", "smallrye-health");
    }

    @Override
    public List<String> variants() {
        return List.of("reporter");
    }

    @Override
    public Subject open(String variant, List<NamedCheck> checks, Duration timeout) {
        HealthRegistry readiness = HealthRegistries.getRegistry(HealthType.READINESS);
        for (NamedCheck c : checks) {
            readiness.register(c.name(), () -> {
                try {
                    c.body().run();
                    return HealthCheckResponse.up(c.name());
                } catch (Exception e) {
                    return HealthCheckResponse.down(c.name());
                }
            });
        }
        SmallRyeHealthReporter reporter = new SmallRyeHealthReporter();
        reporter.setTimeoutSeconds((int) Math.max(1, (timeout.toMillis() + 999) / 1000));
        return new Subject() {
            @Override
            public byte[] probe() {
                ByteArrayOutputStream out = new ByteArrayOutputStream(512);
                reporter.reportHealth(out, reporter.getReadiness());
                return out.toByteArray();
            }

            @Override
            public void close() {
                for (NamedCheck c : checks) {
                    readiness.remove(c.name());
                }
            }
        };
    }
}
