package io.vigil.health.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.health.BreakerState;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Outcome;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.TaskLock;
import io.vigil.health.test.MutableClock;
import io.vigil.health.test.Scrape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HealthMetricsTest {
    private static final Duration FLUSH = Duration.ofSeconds(10);
    private static final CheckPolicy UNCACHED =
            CheckPolicy.builder().cacheTtl(Duration.ZERO).build();

    private final MutableClock clock = new MutableClock();
    private final List<HealthRegistry> registries = new ArrayList<>();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private HealthRegistry health(HealthRegistry.Builder b) {
        HealthRegistry h =
                b.clock(clock).ticker(clock::nanos).startedImmediately().build();
        registries.add(h);
        return h;
    }

    private HealthRegistry health() {
        return health(HealthRegistry.builder());
    }

    /** Scrapes after every registry's listener events have been delivered (metrics follow events shortly after). */
    private Scrape scrape() {
        registries.forEach(r -> assertThat(r.flushEvents(FLUSH)).isTrue());
        return new Scrape(prometheus.scrape());
    }

    @AfterEach
    void close() {
        registries.forEach(HealthRegistry::close);
        prometheus.close();
    }

    @Test
    void theScrapeFollowsACheckFromUpToDownAndBackUp() {
        HealthRegistry health = health();
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());
        health.register("db", HealthCheck.of(CheckKind.DATASTORE, next::get), UNCACHED);
        new HealthMetrics(health).bindTo(prometheus);

        health.evaluate(Probe.READINESS);
        Scrape up = scrape();
        assertThat(up.value("health_probe_duration_seconds_count{probe=\"readiness\"}"))
                .isEqualTo(1.0);
        assertThat(up.value("health_probe_duration_seconds_count{probe=\"liveness\"}"))
                .isEqualTo(0.0);
        assertThat(up.value("health_check_status{check=\"db\"}")).isEqualTo(1.0);
        assertThat(up.value("health_check_duration_seconds_count{check=\"db\"}"))
                .isEqualTo(1.0);
        assertThat(up.value("health_check_failures_total{check=\"db\"}")).isEqualTo(0.0);
        assertThat(up.value("health_check_consecutive_failures{check=\"db\"}")).isEqualTo(0.0);
        assertThat(up.value("health_check_circuit_state{check=\"db\"}")).isEqualTo(0.0);
        assertThat(up.value("health_check_required{check=\"db\"}")).isEqualTo(1.0);
        assertThat(up.value("health_probe_status{probe=\"readiness\"}")).isEqualTo(1.0);
        assertThat(up.value("health_probe_status{probe=\"liveness\"}"))
                .as("never evaluated")
                .isNaN();
        assertThat(up.value("health_locks_active")).isEqualTo(0.0);

        next.set(CheckResult.down("connection refused"));
        for (int i = 0; i < 3; i++) {
            health.evaluate(Probe.READINESS);
        }
        Scrape down = scrape();
        assertThat(down.value("health_check_status{check=\"db\"}")).isEqualTo(0.0);
        assertThat(down.value("health_check_failures_total{check=\"db\"}")).isEqualTo(3.0);
        assertThat(down.value("health_check_consecutive_failures{check=\"db\"}"))
                .isEqualTo(3.0);
        assertThat(down.value("health_check_duration_seconds_count{check=\"db\"}"))
                .isEqualTo(4.0);
        assertThat(down.value("health_probe_status{probe=\"readiness\"}")).isEqualTo(0.0);

        next.set(CheckResult.up());
        health.evaluate(Probe.READINESS);
        Scrape upAgain = scrape();
        assertThat(upAgain.value("health_check_status{check=\"db\"}")).isEqualTo(1.0);
        assertThat(upAgain.value("health_check_failures_total{check=\"db\"}"))
                .as("a counter never goes back")
                .isEqualTo(3.0);
        assertThat(upAgain.value("health_check_consecutive_failures{check=\"db\"}"))
                .isEqualTo(0.0);
        assertThat(upAgain.value("health_check_duration_seconds_count{check=\"db\"}"))
                .isEqualTo(5.0);
        assertThat(upAgain.value("health_probe_status{probe=\"readiness\"}")).isEqualTo(1.0);
    }

    @Test
    void degradedAndOptionalChecksExportHalfAndNotRequired() {
        HealthRegistry health = health();
        health.register("replica", () -> CheckResult.degraded("lag 12 s"), UNCACHED);
        health.register(
                "mail",
                () -> CheckResult.down("smtp refused"),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .optional()
                        .probes(Probe.LIVENESS)
                        .build());
        new HealthMetrics(health).bindTo(prometheus);
        health.evaluate(Probe.READINESS);
        health.evaluate(Probe.LIVENESS);
        Scrape s = scrape();
        assertThat(s.value("health_check_status{check=\"replica\"}")).isEqualTo(0.5);
        assertThat(s.value("health_check_failures_total{check=\"replica\"}")).isEqualTo(0.0);
        assertThat(s.value("health_check_status{check=\"mail\"}")).isEqualTo(0.0);
        assertThat(s.value("health_check_required{check=\"mail\"}")).isEqualTo(0.0);
        assertThat(s.value("health_probe_status{probe=\"readiness\"}")).isEqualTo(0.5);
        assertThat(s.value("health_probe_status{probe=\"liveness\"}"))
                .as("optional DOWN degrades")
                .isEqualTo(0.5);
        assertThat(s.value("health_probe_status{probe=\"startup\"}")).isNaN();
    }

    @Test
    void aCheckThatNeverRanHasNoStatusYetSoNoAlertSeesItDown() {
        HealthRegistry health = health();
        health.register("cache", CheckResult::up);
        new HealthMetrics(health).bindTo(prometheus);
        Scrape s = scrape();
        // NaN: "health_check_status == 0" must not fire for a liveness check nobody has probed yet
        assertThat(s.value("health_check_status{check=\"cache\"}")).isNaN();
        assertThat(s.value("health_check_duration_seconds_count{check=\"cache\"}"))
                .isEqualTo(0.0);
        assertThat(s.value("health_check_consecutive_failures{check=\"cache\"}"))
                .isEqualTo(0.0);
        health.evaluate(Probe.READINESS);
        assertThat(scrape().value("health_check_status{check=\"cache\"}"))
                .as("once it ran")
                .isEqualTo(1.0);
    }

    @Test
    void locksTakenAndReleasedShowInTheScrapeAndExpireOnScrape() {
        HealthRegistry health = health();
        health.register("db", CheckResult::up, UNCACHED);
        new HealthMetrics(health).bindTo(prometheus);
        health.evaluate(Probe.READINESS);
        TaskLock migration = health.lock("schema-migration", "v42");
        TaskLock reindex = health.lock("reindex", "all patients");
        assertThat(scrape().value("health_locks_active")).isEqualTo(2.0);
        reindex.close();
        assertThat(health.evaluate(Probe.READINESS).outcome()).isEqualTo(Outcome.LOCKED);
        Scrape locked = scrape();
        assertThat(locked.value("health_locks_active")).isEqualTo(1.0);
        assertThat(locked.value("health_probe_status{probe=\"readiness\"}")).isEqualTo(0.0);
        assertThat(locked.value("health_check_status{check=\"db\"}")).isEqualTo(1.0);
        migration.close();
        assertThat(scrape().value("health_locks_active")).isEqualTo(0.0);
        health.evaluate(Probe.READINESS);
        assertThat(scrape().value("health_probe_status{probe=\"readiness\"}")).isEqualTo(1.0);

        TaskLock dead = health.lock("import", "a task that dies", Duration.ofMinutes(10));
        assertThat(scrape().value("health_locks_active")).isEqualTo(1.0);
        clock.advance(Duration.ofMinutes(10));
        assertThat(scrape().value("health_locks_active")).isEqualTo(0.0);
        assertThat(dead.isHeld()).isFalse();
    }

    @Test
    void theLicenseCountdownAndValidityFollowTheLicenseState() {
        AtomicReference<LicenseState> license = new AtomicReference<>(LicenseState.of(LicenseValidity.VALID)
                .withLicensee("ACME")
                .withExpires(clock.instant().plus(Duration.ofDays(40))));
        HealthRegistry health =
                health(HealthRegistry.builder().license(license::get).licenseCacheTtl(Duration.ZERO));
        new HealthMetrics(health).bindTo(prometheus);
        Scrape valid = scrape();
        assertThat(valid.value("health_license_expiry_seconds")).isEqualTo(40 * 86_400.0);
        assertThat(valid.value("health_license_valid")).isEqualTo(1.0);

        clock.advance(Duration.ofDays(30));
        license.set(LicenseState.of(LicenseValidity.EXPIRING)
                .withLicensee("ACME")
                .withExpires(license.get().expires())
                .withMessage("expires soon"));
        Scrape expiring = scrape();
        assertThat(expiring.value("health_license_expiry_seconds")).isEqualTo(10 * 86_400.0);
        assertThat(expiring.value("health_license_valid")).isEqualTo(1.0);

        clock.advance(Duration.ofDays(10).plusSeconds(90));
        license.set(LicenseState.of(LicenseValidity.EXPIRED)
                .withLicensee("ACME")
                .withExpires(license.get().expires())
                .withMessage("expired"));
        Scrape expired = scrape();
        assertThat(expired.value("health_license_expiry_seconds")).isEqualTo(-90.0);
        assertThat(expired.value("health_license_valid")).isEqualTo(0.0);

        license.set(LicenseState.invalid("signature does not match"));
        Scrape invalid = scrape();
        assertThat(invalid.value("health_license_expiry_seconds"))
                .as("no expiry known")
                .isNaN();
        assertThat(invalid.value("health_license_valid")).isEqualTo(0.0);
    }

    @Test
    void withoutALicenseCheckNoLicenseSeriesIsExported() {
        HealthRegistry health = health();
        new HealthMetrics(health).bindTo(prometheus);
        assertThat(scrape().names())
                .doesNotContain("health_license_expiry_seconds", "health_license_valid")
                .contains("health_locks_active", "health_probe_status");
    }

    @Test
    void anOpenCircuitBreakerIsExportedAsStateTwoAndTheCheckAsDown() {
        HealthRegistry health = health();
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up());
        AtomicInteger calls = new AtomicInteger();
        // the breaker counts reported failures only: the two tolerated ones do not, the next two open it
        health.register(
                "upstream",
                HealthCheck.of(CheckKind.DEPENDENCY, () -> {
                    calls.incrementAndGet();
                    return next.get();
                }),
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .thresholds(3, 1)
                        .circuitBreaker(2, Duration.ofSeconds(30))
                        .build());
        new HealthMetrics(health).bindTo(prometheus);
        health.evaluate(Probe.READINESS);
        next.set(CheckResult.down("503 from upstream"));
        health.evaluate(Probe.READINESS);
        health.evaluate(Probe.READINESS);
        assertThat(health.latest().get("upstream").status())
                .as("still tolerated")
                .isEqualTo(Status.UP);
        assertThat(health.latest().get("upstream").breaker()).isEqualTo(BreakerState.CLOSED);
        health.evaluate(Probe.READINESS);
        health.evaluate(Probe.READINESS);
        assertThat(health.latest().get("upstream").breaker()).isEqualTo(BreakerState.OPEN);
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.evaluate(Probe.READINESS).outcome())
                .as("served by the open breaker")
                .isEqualTo(Outcome.DOWN);
        Scrape open = scrape();
        assertThat(calls).hasValue(5);
        assertThat(open.value("health_check_circuit_state{check=\"upstream\"}")).isEqualTo(2.0);
        assertThat(open.value("health_check_status{check=\"upstream\"}")).isEqualTo(0.0);
        assertThat(open.value("health_check_duration_seconds_count{check=\"upstream\"}"))
                .as("an open breaker is not an evaluation")
                .isEqualTo(5.0);
        assertThat(open.value("health_check_failures_total{check=\"upstream\"}"))
                .as("tolerated failures reported UP")
                .isEqualTo(2.0);

        clock.advance(Duration.ofSeconds(30));
        next.set(CheckResult.up());
        health.evaluate(Probe.READINESS);
        Scrape closed = scrape();
        assertThat(closed.value("health_check_circuit_state{check=\"upstream\"}"))
                .isEqualTo(0.0);
        assertThat(closed.value("health_check_status{check=\"upstream\"}")).isEqualTo(1.0);
    }

    @Test
    void scrapingNeverCallsACheck() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger licenseCalls = new AtomicInteger();
        HealthRegistry health = health(HealthRegistry.builder().license(() -> {
            licenseCalls.incrementAndGet();
            return LicenseState.of(LicenseValidity.VALID)
                    .withLicensee("ACME")
                    .withExpires(clock.instant().plus(Duration.ofDays(90)));
        }));
        health.register(
                "counting",
                HealthCheck.of(CheckKind.DEPENDENCY, () -> {
                    calls.incrementAndGet();
                    return CheckResult.up();
                }),
                UNCACHED);
        new HealthMetrics(health).bindTo(prometheus);
        for (int i = 0; i < 500; i++) {
            scrape();
        }
        assertThat(calls).as("not even a first call").hasValue(0);
        health.evaluate(Probe.READINESS);
        for (int i = 0; i < 500; i++) {
            assertThat(scrape().value("health_check_status{check=\"counting\"}"))
                    .isEqualTo(1.0);
        }
        assertThat(calls).hasValue(1);
        assertThat(licenseCalls)
                .as("the license is read once per cache period (60 s), not per scrape")
                .hasValue(1);
    }

    @Test
    void checksRegisteredAfterBindingGetMetersAndUnregisteredOnesLoseThem() {
        HealthRegistry health = health();
        health.register("first", CheckResult::up, UNCACHED);
        new HealthMetrics(health).bindTo(prometheus);
        health.register("late", () -> CheckResult.down("not yet"), UNCACHED);
        health.evaluate(Probe.READINESS);
        Scrape s = scrape();
        assertThat(s.value("health_check_status{check=\"late\"}")).isEqualTo(0.0);
        assertThat(s.value("health_check_failures_total{check=\"late\"}")).isEqualTo(1.0);
        assertThat(s.value("health_check_duration_seconds_count{check=\"late\"}"))
                .isEqualTo(1.0);

        health.unregister("first");
        assertThat(scrape().value("health_check_status{check=\"first\"}"))
                .as("gone until the next sync")
                .isNaN();
        health.register("later", CheckResult::up, UNCACHED);
        health.evaluate(Probe.READINESS);
        Scrape after = scrape();
        assertThat(after.series.keySet()).noneMatch(k -> k.contains("check=\"first\""));
        assertThat(after.value("health_check_status{check=\"later\"}")).isEqualTo(1.0);
    }

    @Test
    void tagsAreOnlyCheckAndProbeAndCarryNoMessageOrSecret() {
        HealthRegistry health = health();
        health.register(
                "db",
                () -> {
                    throw new IllegalStateException(
                            "cannot reach postgres://app:hunter2@db:5432/app?sslpassword=s3cret");
                },
                UNCACHED);
        health.register(
                "api", () -> CheckResult.down("GET https://api.example.com/v1?token=abc123 returned 500"), UNCACHED);
        new HealthMetrics(health).bindTo(prometheus);
        health.evaluate(Probe.READINESS);
        Scrape s = scrape();
        assertThat(s.healthLabelNames()).containsExactlyInAnyOrder("check", "probe");
        assertThat(s.text).doesNotContain("hunter2", "s3cret", "abc123", "postgres://", "https://", "refused");
        long checkSeries = s.series.keySet().stream()
                .filter(k -> k.startsWith("health_check_"))
                .count();
        assertThat(checkSeries)
                .as("8 series per check (status, consecutive, circuit, required, failures," + " count, sum, max)")
                .isEqualTo(16);
    }

    @Test
    void oneBinderFeedsEveryRegistryItIsBoundTo() {
        HealthRegistry health = health();
        health.register("db", () -> CheckResult.down("refused"), UNCACHED);
        HealthMetrics metrics = new HealthMetrics(health);
        SimpleMeterRegistry simple = new SimpleMeterRegistry();
        metrics.bindTo(prometheus);
        metrics.bindTo(simple);
        metrics.bindTo(simple); // idempotent
        health.evaluate(Probe.READINESS);
        health.evaluate(Probe.READINESS);
        assertThat(scrape().value("health_check_failures_total{check=\"db\"}")).isEqualTo(2.0);
        assertThat(simple.get("health.check.failures")
                        .tag("check", "db")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(simple.get("health.check.duration")
                        .tag("check", "db")
                        .timer()
                        .count())
                .isEqualTo(2L);
        assertThat(simple.get("health.check.consecutive.failures").gauge().value())
                .isEqualTo(2.0);
    }

    @Test
    void countsStayExactWhileProbesAndScrapesRunInParallel() throws Exception {
        // 1,800 evaluations publish more events than the default queue (1,024) holds; a loaded machine delays the
        // listener's delivery thread, and a full queue drops its oldest events (counted: health_listener_dropped).
        // Exactness is asked of the meters, not of a queue sized below the load, so the queue holds every event.
        HealthRegistry health = health(HealthRegistry.builder().eventQueueCapacity(16_384));
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger downCalls = new AtomicInteger();
        health.register(
                "flaky",
                () -> {
                    int n = calls.incrementAndGet();
                    if (n % 3 == 0) {
                        downCalls.incrementAndGet();
                        return CheckResult.down("every third call fails");
                    }
                    return CheckResult.up();
                },
                CheckPolicy.builder()
                        .cacheTtl(Duration.ZERO)
                        .timeout(Duration.ofSeconds(30))
                        .build()); // no timeouts:
        // a timed-out call would be counted by the check but its late result is (rightly) not an evaluation
        new HealthMetrics(health).bindTo(prometheus);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        health.evaluate(Probe.READINESS);
                    }
                }));
            }
            for (int t = 0; t < 2; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        new Scrape(prometheus.scrape());
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Scrape s = scrape();
        assertThat(calls.get()).isPositive();
        assertThat(s.value("health_check_duration_seconds_count{check=\"flaky\"}"))
                .isEqualTo(calls.get());
        assertThat(s.value("health_check_failures_total{check=\"flaky\"}")).isEqualTo(downCalls.get());
        assertThat(health.engineStats().droppedEvents()).as("no event dropped").isZero();
    }
}
