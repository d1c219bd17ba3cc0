package io.vigil.health.micrometer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import io.vigil.health.test.Background;
import io.vigil.health.test.MutableClock;
import io.vigil.health.test.Scrape;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The monitoring assets under {@code docs/monitoring}, the real promtool, and the names the binder exports. */
final class Monitoring {
    static final String REQUIRE_ENV = "VIGIL_REQUIRE_PROMTOOL";
    private static final java.util.concurrent.atomic.AtomicBoolean SKIP_REPORTED =
            new java.util.concurrent.atomic.AtomicBoolean();
    /** A {@code health_*} name, not a part of a recording rule's {@code level:metric:operation} name. */
    private static final Pattern METRIC = Pattern.compile("(?<![:A-Za-z0-9_])health_[a-z0-9_]+\\b(?!:)");

    private Monitoring() {}

    /** @return {@code docs/monitoring} of this checkout, found from the module directory upwards */
    static Path dir() {
        Path p = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
        for (; p != null; p = p.getParent()) {
            Path candidate = p.resolve("docs").resolve("monitoring");
            if (Files.isRegularFile(candidate.resolve("health-alerts.yml"))) {
                return candidate;
            }
        }
        throw new AssertionError("docs/monitoring/health-alerts.yml not found above " + System.getProperty("basedir"));
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + p, e);
        }
    }

    /** @return every {@code health_*} token in the text */
    static Set<String> metricNames(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = METRIC.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /**
     * Binds {@link HealthMetrics} to a real Prometheus registry with every feature in use (a license, a lock, a
     * breaker, a degraded and a failing check) and returns the sample names of the scrape.
     *
     * @return e.g. {@code health_check_status}, {@code health_check_duration_seconds_count}
     */
    static Set<String> exportedNames() {
        MutableClock clock = new MutableClock();
        try (HealthRegistry health = HealthRegistry.builder()
                .clock(clock)
                .ticker(clock::nanos)
                .startedImmediately()
                .license(() -> LicenseState.of(LicenseValidity.VALID)
                        .withLicensee("ACME")
                        .withExpires(clock.instant().plus(Duration.ofDays(30))))
                .build()) {
            PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            health.register("db", () -> CheckResult.degraded("slow"));
            health.register(
                    "upstream",
                    HealthCheck.of(CheckKind.DEPENDENCY, () -> CheckResult.down("503")),
                    CheckPolicy.builder()
                            .circuitBreaker(1, Duration.ofMinutes(1))
                            .build());
            new HealthMetrics(health).bindTo(prometheus);
            TaskLock lock = health.lock("migration", "v42");
            try {
                for (Probe p : Probe.values()) {
                    health.evaluate(p);
                }
                health.flushEvents(Duration.ofSeconds(10)); // meters of new checks appear with their first events
                Set<String> names = new Scrape(prometheus.scrape()).names();
                names.removeIf(n -> !n.startsWith("health_"));
                return names;
            } finally {
                lock.close();
                prometheus.close();
            }
        }
    }

    /** The outcome of one promtool run. */
    record Run(int exit, String output) {}

    /** @return promtool from {@code $PROMTOOL} or the {@code PATH}, or {@code null} */
    static Path findPromtool() {
        String explicit = System.getenv("PROMTOOL");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, "promtool");
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * @return promtool; skips the calling test with install instructions when it is missing, or fails when
     *         {@code VIGIL_REQUIRE_PROMTOOL=true} (set by CI, which installs it)
     */
    static Path promtoolOrSkip() {
        Path promtool = findPromtool();
        if (promtool == null) {
            String message = "promtool not found on PATH: the Prometheus alert-rule tests are skipped."
                    + " Install it to run them: `sudo apt-get install prometheus` (Debian/Ubuntu; promtool is in the"
                    + " package), or download promtool from https://prometheus.io/download/ and put it on PATH or in"
                    + " $PROMTOOL.";
            if ("true".equalsIgnoreCase(System.getenv(REQUIRE_ENV))) {
                fail(message + " (" + REQUIRE_ENV + "=true makes this a failure)");
            }
            if (SKIP_REPORTED.compareAndSet(false, true)) {
                System.err.println("[vigil-health] " + message);
            }
            assumeTrue(false, message);
        }
        return promtool;
    }

    /**
     * Runs promtool with a bounded wait.
     *
     * @param promtool the binary
     * @param workDir  its working directory (rule files are resolved against it)
     * @param args     arguments
     * @return exit code and combined output
     */
    static Run promtool(Path promtool, Path workDir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(promtool.toString());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            CompletableFuture<String> output = Background.supply(() -> {
                try (InputStream in = process.getInputStream()) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "(output unreadable: " + e + ")";
                }
            });
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("promtool " + String.join(" ", args) + " did not finish within 2 minutes");
            }
            return new Run(process.exitValue(), output.get(30, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new AssertionError("cannot start " + promtool, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("cannot read promtool's output", e);
        }
    }
}
