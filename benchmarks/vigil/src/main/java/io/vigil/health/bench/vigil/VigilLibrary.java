package io.vigil.health.bench.vigil;

import io.vigil.health.AsyncHealthCheck;
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
 * sets the cache TTL to zero, so every probe runs every check on the engine's threads (the pooled lane) under its
 * timeout; {@code inline} is uncached too, with the checks declared {@code nonBlocking()}, so they run on the
 * probing thread; {@code async} registers each check as an {@link AsyncHealthCheck} on its
 * {@link io.vigil.health.bench.BenchCheck#start() asynchronous form}, uncached. Scenario a measures the first three,
 * b and d the first two, c {@code cached}, {@code uncached} and {@code async} (a sleeping check declared non-blocking
 * is a wrong declaration, not a use case).
 */
public final class VigilLibrary implements Library {
    private static final HealthRequest READY =
            HealthRequest.builder("GET", "/health/ready").build();

    /** Found by {@link java.util.ServiceLoader}. */
    public VigilLibrary() {}

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
        return List.of("cached", "uncached", "inline", "async");
    }

    @Override
    public List<String> variants(String scenario) {
        return switch (scenario) {
            case "a" -> List.of("cached", "uncached", "inline");
            case "c" -> List.of("cached", "uncached", "async");
            default -> List.of("cached", "uncached");
        };
    }

    @Override
    public Subject open(String variant, List<NamedCheck> checks, Duration timeout) {
        CheckPolicy.Builder policy = CheckPolicy.builder().timeout(timeout);
        if (!variant.equals("cached")) {
            policy.cacheTtl(Duration.ZERO);
        }
        if (variant.equals("inline")) {
            policy.nonBlocking();
        }
        CheckPolicy p = policy.build();
        HealthRegistry registry = HealthRegistry.builder().startedImmediately().build();
        for (NamedCheck c : checks) {
            if (variant.equals("async")) {
                AsyncHealthCheck async = context -> c.body().start().thenApply(v -> CheckResult.up());
                registry.register(c.name(), async, p);
            } else {
                registry.register(
                        c.name(),
                        () -> {
                            c.body().run();
                            return CheckResult.up();
                        },
                        p);
            }
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
