package io.vigil.health.bench.vigil;

import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.bench.Library;
import io.vigil.health.bench.NamedCheck;
import io.vigil.health.bench.Subject;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import java.time.Duration;
import java.util.List;

/**
 * Vigil as an application uses it: a {@link HealthRegistry} with the checks registered under one policy, and the
 * transport-neutral {@link HealthHandler} answering {@code GET /health/ready} (what the JDK server, the servlet and
 * JAX-RS adapters call). Variants: {@code cached} is the default policy (results reused for 1 s); {@code uncached}
 * sets the cache TTL to zero, so every probe runs every check on the engine's threads under its timeout.
 */
public final class VigilLibrary implements Library {
    private static final HealthRequest READY = new HealthRequest("GET", "/health/ready", null, null, false);

    /** Found by {@link java.util.ServiceLoader}. */
    public VigilLibrary() {
    }

    @Override
    public String name() {
        return "Vigil";
    }

    @Override
    public String version() {
        return Library.versionOf(HealthRegistry.class, "io.vigil", "health-core");
    }

    @Override
    public List<String> variants() {
        return List.of("cached", "uncached");
    }

    @Override
    public Subject open(String variant, List<NamedCheck> checks, Duration timeout) {
        CheckPolicy.Builder policy = CheckPolicy.builder().timeout(timeout);
        if (variant.equals("uncached")) {
            policy.cacheTtl(Duration.ZERO);
        }
        CheckPolicy p = policy.build();
        HealthRegistry registry = HealthRegistry.builder().startedImmediately().build();
        for (NamedCheck c : checks) {
            registry.register(c.name(), () -> {
                c.body().run();
                return CheckResult.up();
            }, p);
        }
        HealthHandler handler = HealthHandler.builder(registry).build();
        return new Subject() {
            @Override
            public byte[] probe() {
                return handler.handle(READY).body();
            }

            @Override
            public void close() {
                registry.close();
            }
        };
    }
}
