package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.health.CheckEntry;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The resource checks behind {@code vigil.health.<check>.enabled} and the meter thresholds of the starter. */
class SignalsAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(VigilHealthAutoConfiguration.class, VigilSignalsAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class Meters {
        static final AtomicInteger IN_PROGRESS = new AtomicInteger();

        @Bean
        MeterRegistry meterRegistry() {
            SimpleMeterRegistry r = new SimpleMeterRegistry();
            r.gauge("events.in.progress", IN_PROGRESS);
            return r;
        }
    }

    private static CheckEntry entry(HealthReport report, String name) {
        return report.checks().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void noResourceCheckUnlessEnabled() {
        runner.run(context -> assertThat(context.getBean(HealthRegistry.class).checkNames())
                .doesNotContain("memory", "gc", "file-descriptors", "threads", "container", "disk"));
    }

    @Test
    void enabledResourceChecksAreRegisteredOnTheirProbesWithTheirSettings() {
        runner.withPropertyValues(
                        "vigil.health.memory.enabled=true",
                        "vigil.health.gc.enabled=true",
                        "vigil.health.file-descriptors.enabled=true",
                        "vigil.health.threads.enabled=true",
                        "vigil.health.threads.warn-above=1",
                        "vigil.health.container.enabled=true",
                        "vigil.health.disk.enabled=true",
                        "vigil.health.disk.paths=.,/tmp",
                        "vigil.health.checks.disk.optional=true")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    registry.markStarted();
                    HealthReport live = registry.evaluate(Probe.LIVENESS);
                    HealthReport ready = registry.evaluate(Probe.READINESS);

                    assertThat(live.checks()).extracting(CheckEntry::name).containsExactlyInAnyOrder("memory", "gc");
                    assertThat(ready.checks())
                            .extracting(CheckEntry::name)
                            .contains("memory", "gc", "file-descriptors", "threads", "container", "disk");
                    assertThat(entry(ready, "threads").status()).isEqualTo(Status.DEGRADED); // warn above 1 thread
                    assertThat(entry(ready, "disk").data()).containsKeys(". freePercent", "/tmp freePercent");
                    assertThat(ready.outcome()).isEqualTo(Outcome.DEGRADED);
                });
    }

    @Test
    void aMeterThresholdJudgesAGaugeOfTheApplicationsRegistry() {
        runner.withUserConfiguration(Meters.class)
                .withPropertyValues(
                        "vigil.health.meters.in-progress.type=gauge",
                        "vigil.health.meters.in-progress.meter=events.in.progress",
                        "vigil.health.meters.in-progress.fail-above=100")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    registry.markStarted();
                    Meters.IN_PROGRESS.set(150);
                    HealthReport ready = registry.evaluate(Probe.READINESS);

                    assertThat(ready.outcome()).isEqualTo(Outcome.DOWN);
                    assertThat(entry(ready, "in-progress").message())
                            .isEqualTo("events.in.progress 150 is above the fail limit 100");
                });
    }

    @Test
    void aMeterThresholdWithoutALimitFailsStartUpNamingTheSetting() {
        runner.withUserConfiguration(Meters.class)
                .withPropertyValues(
                        "vigil.health.meters.p95.type=percentile", "vigil.health.meters.p95.meter=http.server.requests")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("set at least one of"));
        runner.withUserConfiguration(Meters.class)
                .withPropertyValues(
                        "vigil.health.meters.p95.type=percentile",
                        "vigil.health.meters.p95.meter=http.server.requests",
                        "vigil.health.meters.p95.fail-above=1")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void withoutMicrometerTheResourceChecksStillWork() {
        runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .withPropertyValues("vigil.health.memory.enabled=true")
                .run(context -> assertThat(context.getBean(HealthRegistry.class).checkNames())
                        .contains("memory"));
    }
}
