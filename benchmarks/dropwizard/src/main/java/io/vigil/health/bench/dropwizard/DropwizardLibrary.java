package io.vigil.health.bench.dropwizard;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.codahale.metrics.json.HealthCheckModule;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.health.bench.Library;
import io.vigil.health.bench.NamedCheck;
import io.vigil.health.bench.Subject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Dropwizard Metrics' {@link HealthCheckRegistry}, serialised as its {@code HealthCheckServlet} does (an
 * {@link ObjectMapper} with {@link HealthCheckModule}). Variants: {@code sequential} runs the checks one after the
 * other on the request thread ({@code runHealthChecks()}); {@code executor} hands them to an executor
 * ({@code runHealthChecks(ExecutorService)}, here a cached thread pool) and waits for each without a timeout.
 */
public final class DropwizardLibrary implements Library {

    /** Found by {@link java.util.ServiceLoader}. */
    public DropwizardLibrary() {}

    @Override
    public String name() {
        return "Dropwizard";
    }

    @Override
    public String version() {
        return Library.versionOf(HealthCheckRegistry.class, "io.dropwizard.metrics", "metrics-healthchecks");
    }

    @Override
    public List<String> variants() {
        return List.of("sequential", "executor");
    }

    @Override
    public Subject open(String variant, List<NamedCheck> checks, Duration timeout) {
        HealthCheckRegistry registry = new HealthCheckRegistry();
        for (NamedCheck c : checks) {
            registry.register(c.name(), new HealthCheck() {
                @Override
                protected Result check() throws Exception {
                    c.body().run();
                    return Result.healthy();
                }
            });
        }
        ObjectMapper mapper = new ObjectMapper().registerModule(new HealthCheckModule());
        ExecutorService executor = variant.equals("executor") ? Executors.newCachedThreadPool() : null;
        return new Subject() {
            @Override
            public byte[] probe() throws Exception {
                return mapper.writeValueAsBytes(
                        executor == null ? registry.runHealthChecks() : registry.runHealthChecks(executor));
            }

            @Override
            public void close() {
                if (executor != null) {
                    executor.shutdownNow();
                }
                registry.shutdown();
            }
        };
    }
}
