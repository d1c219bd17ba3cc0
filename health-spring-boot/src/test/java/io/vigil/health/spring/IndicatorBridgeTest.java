package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.Cause;
import io.vigil.health.CheckEntry;
import io.vigil.health.CheckKind;
import io.vigil.health.HealthRegistry;
import io.vigil.health.HealthReport;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.test.Concurrently;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.health.application.LivenessStateHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.PingHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/** Spring Boot HealthIndicators run as Vigil checks, under the engine's timeout, cache and single-flight. */
class IndicatorBridgeTest {
    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(VigilHealthAutoConfiguration.class));

    private static Map<String, CheckEntry> byName(HealthReport report) {
        Map<String, CheckEntry> m = new java.util.LinkedHashMap<>();
        report.checks().forEach(c -> m.put(c.name(), c));
        return m;
    }

    @Test
    void indicatorsBecomeChecksNamedLikeActuatorNamesThem() {
        runner.withBean(
                        "diskSpaceHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.up()
                                .withDetail("free", 1024L)
                                .withDetail("path", "/data")
                                .build())
                .withBean(
                        "paymentsHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.down(new IllegalStateException("password=hunter2 rejected"))
                                .build())
                .withBean(
                        "legacy",
                        HealthIndicator.class,
                        () -> () -> Health.unknown().build())
                .withBean(
                        "replicasHealthContributor",
                        CompositeHealthContributor.class,
                        () -> CompositeHealthContributor.fromMap(Map.of(
                                "east", (HealthIndicator) () -> Health.up().build())))
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    registry.markStarted();
                    assertThat(registry.checkNames()).contains("diskSpace", "payments", "legacy", "replicas/east");
                    Map<String, CheckEntry> checks = byName(registry.evaluate(Probe.READINESS));
                    assertThat(checks.get("diskSpace").status()).isEqualTo(Status.UP);
                    assertThat(checks.get("diskSpace").data())
                            .containsEntry("free", 1024L)
                            .containsEntry("path", "/data");
                    assertThat(checks.get("payments").status()).isEqualTo(Status.DOWN);
                    assertThat(checks.get("payments").message())
                            .contains("rejected")
                            .doesNotContain("hunter2");
                    assertThat(checks.get("legacy").status()).isEqualTo(Status.DEGRADED);
                    assertThat(checks.get("replicas/east").status()).isEqualTo(Status.UP);
                });
    }

    @Test
    void excludedIndicatorsSpringsAvailabilityIndicatorsAndADisabledBridgeAddNothing() {
        runner.withBean(
                        "mailHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.up().build())
                .withBean(
                        "livenessStateHealthIndicator",
                        HealthIndicator.class,
                        () -> new LivenessStateHealthIndicator(new ApplicationAvailabilityBean()))
                .withBean("pingHealthIndicator", HealthIndicator.class, PingHealthIndicator::new)
                .withBean(
                        "queueHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.up().build())
                .withPropertyValues("vigil.health.bridge-exclude=mail")
                .run(context -> assertThat(context.getBean(HealthRegistry.class).checkNames())
                        .contains("queue")
                        .doesNotContain("mail", "livenessState", "ping"));
        runner.withBean(
                        "mailHealthIndicator",
                        HealthIndicator.class,
                        () -> () -> Health.up().build())
                .withPropertyValues("vigil.health.bridge-indicators=false")
                .run(context -> assertThat(context.getBean(HealthRegistry.class).checkNames())
                        .doesNotContain("mail"));
    }

    @Test
    void springsDatastoreIndicatorsAreDatastoresAndStayOffLiveness() {
        DataSourceHealthIndicator db = new DataSourceHealthIndicator(new PGSimpleDataSource());
        assertThat(IndicatorBridge.kindOf(db)).isEqualTo(CheckKind.DATASTORE);
        assertThat(IndicatorBridge.kindOf((HealthIndicator) () -> Health.up().build()))
                .isEqualTo(CheckKind.PROCESS);
        runner.withBean("dbHealthIndicator", HealthIndicator.class, () -> db)
                .withPropertyValues("vigil.health.checks.db.probes=liveness")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(AutoConfigurationTest.messages(context.getStartupFailure()))
                            .contains("vigil.health.checks.db")
                            .contains("DATASTORE");
                });
        runner.withBean("dbHealthIndicator", HealthIndicator.class, () -> db).run(context -> {
            HealthRegistry registry = context.getBean(HealthRegistry.class);
            assertThat(registry.evaluate(Probe.LIVENESS).checks())
                    .extracting(CheckEntry::name)
                    .doesNotContain("db");
        });
    }

    @Test
    void reactiveIndicatorsAreBridgedAndANeverCompletingOneIsDownAtItsTimeout() {
        runner.withBean(
                        "cacheHealthIndicator",
                        ReactiveHealthIndicator.class,
                        () -> () -> Mono.just(Health.up().withDetail("hits", 7).build()))
                .withBean("searchHealthIndicator", ReactiveHealthIndicator.class, () -> Mono::never)
                .withPropertyValues("vigil.health.checks.search.timeout=300ms")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    registry.markStarted();
                    Map<String, CheckEntry> checks = byName(registry.evaluate(Probe.READINESS));
                    assertThat(checks.get("cache").status()).isEqualTo(Status.UP);
                    assertThat(checks.get("cache").data()).containsEntry("hits", 7);
                    assertThat(checks.get("search").status()).isEqualTo(Status.DOWN);
                    assertThat(checks.get("search").cause()).isEqualTo(Cause.TIMEOUT);
                });
    }

    @Test
    void aHangingIndicatorIsDownAtItsTimeoutWhileTheOthersAnswer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try {
            runner.withBean("hangingHealthIndicator", HealthIndicator.class, () -> () -> {
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return Health.up().build();
                    })
                    .withBean(
                            "fastHealthIndicator",
                            HealthIndicator.class,
                            () -> () -> Health.up().build())
                    .withPropertyValues("vigil.health.checks.hanging.timeout=300ms")
                    .run(context -> {
                        HealthRegistry registry = context.getBean(HealthRegistry.class);
                        registry.markStarted();
                        HealthReport report = registry.evaluate(Probe.READINESS);
                        Map<String, CheckEntry> checks = byName(report);
                        assertThat(checks.get("hanging").status()).isEqualTo(Status.DOWN);
                        assertThat(checks.get("hanging").cause()).isEqualTo(Cause.TIMEOUT);
                        assertThat(checks.get("fast").status()).isEqualTo(Status.UP);
                        assertThat(report.outcome()).isEqualTo(Outcome.DOWN);
                    });
        } finally {
            release.countDown();
        }
    }

    @Test
    void twoHundredConcurrentProbesCauseOneCallOfASlowIndicator() {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch never = new CountDownLatch(1);
        runner.withBean("slowHealthIndicator", HealthIndicator.class, () -> () -> {
                    calls.incrementAndGet();
                    try {
                        never.await(100, TimeUnit.MILLISECONDS); // the indicator's own 100 ms of work
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Health.up().build();
                })
                .withPropertyValues("vigil.health.checks.slow.timeout=5s")
                .run(context -> {
                    HealthRegistry registry = context.getBean(HealthRegistry.class);
                    registry.markStarted();
                    List<HealthReport> reports = Concurrently.call(200, () -> registry.evaluate(Probe.READINESS));
                    assertThat(reports).extracting(HealthReport::outcome).containsOnly(Outcome.UP);
                    assertThat(calls).hasValue(1);
                });
    }
}
