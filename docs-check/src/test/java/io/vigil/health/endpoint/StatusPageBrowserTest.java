package io.vigil.health.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Probe;
import io.vigil.health.TaskLock;
import io.vigil.health.server.JdkHealthServer;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser on the status page: headless Chromium navigates to a running {@link JdkHealthServer} on loopback
 * (so it sends a browser's own {@code Accept}), the test reads the DOM Chromium built and checks that no Content
 * Security Policy violation was reported (the style sheet's hash matches), and takes screenshots. Three browser
 * launches in all. With {@code -Dvigil.docs.screenshots=true} the screenshots are written to
 * {@code docs/img/status-page.png} and {@code docs/img/status-page-down.png}. Skipped when Chromium is missing,
 * unless {@code VIGIL_REQUIRE_CHROMIUM=true} (set by CI, which installs it): then it fails.
 */
class StatusPageBrowserTest {
    static final String REQUIRE_ENV = "VIGIL_REQUIRE_CHROMIUM";
    private static final Duration LAUNCH_TIMEOUT = Duration.ofSeconds(90);
    private static final Path DOCS_IMG = Path.of("..", "docs", "img");

    @TempDir
    Path tmp;

    private final AtomicReference<CheckResult> postgres = new AtomicReference<>();
    private HealthRegistry registry;
    private JdkHealthServer server;
    private final List<TaskLock> locks = new ArrayList<>();

    @BeforeEach
    void start() {
        postgres.set(CheckResult.up().withData("product", "PostgreSQL 16.4").withData("pool.active", 3));
        registry = HealthRegistry.builder()
                .logTransitions(false)
                .license(() -> LicenseState.of(LicenseValidity.VALID)
                        .withLicensee("Acme Hospital")
                        .withExpires(Instant.now().plus(Duration.ofDays(212)).plusSeconds(60)))
                .build();
        CheckPolicy uncached = CheckPolicy.builder().cacheTtl(Duration.ZERO).build();
        registry.register("postgres", HealthCheck.of(CheckKind.DATASTORE, postgres::get), uncached);
        registry.register(
                "redis",
                HealthCheck.of(CheckKind.DATASTORE, () -> CheckResult.up().withData("role", "master")),
                uncached.toBuilder().optional().build());
        registry.register(
                "terminology-server",
                HealthCheck.of(CheckKind.DEPENDENCY, () -> CheckResult.up().withData("status", 200)),
                uncached);
        registry.register(
                "disk-space",
                () -> CheckResult.up().withData("free.bytes", 52_613_349_376L),
                uncached.toBuilder().probes(Probe.LIVENESS, Probe.READINESS).build());
        registry.markStarted();
        HealthHandler handler =
                HealthHandler.builder(registry).details(DetailsPolicy.ALWAYS).build();
        server = JdkHealthServer.builder(handler)
                .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .start();
        // the probes a kubelet would have asked, so that the page's probe strip shows their last outcomes
        registry.evaluate(Probe.LIVENESS);
        registry.evaluate(Probe.STARTUP);
    }

    @AfterEach
    void stop() {
        locks.forEach(TaskLock::close);
        server.close();
        registry.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void aHealthyServiceRendersItsPageWithoutAPolicyViolation() throws Exception {
        Path chromium = chromiumOrSkip();
        registry.evaluate(Probe.READINESS);
        Run shot = screenshot(chromium, url("/health"), "status-page.png");
        assertThat(shot.stderr()).doesNotContain("Content Security Policy");
    }

    @Test
    void aDownDependencyAndALockAreWhatTheBrowserShows() throws Exception {
        Path chromium = chromiumOrSkip();
        registry.evaluate(Probe.READINESS); // postgres was UP once, so going DOWN is a transition the page lists
        postgres.set(CheckResult.down("Connection refused: postgres:5432"));
        locks.add(registry.lock("schema-migration", "Migrating schema to v42", Duration.ofMinutes(10)));
        registry.evaluate(Probe.READINESS);

        Run dom = run(chromium, tmp.resolve("dom"), "--dump-dom", url("/health"));
        String html = dom.stdout();
        assertThat(html)
                .contains(
                        "<h1 id=\"outcome\">All checks: <span class=\"s locked\">LOCKED</span></h1>",
                        "<strong>postgres</strong></td><td data-label=\"status\"><span class=\"s down\">DOWN</span>",
                        "Connection refused: postgres:5432",
                        "<strong>schema-migration</strong>",
                        "Migrating schema to v42",
                        "<span class=\"s up\">VALID</span>",
                        "days left",
                        "<td data-label=\"what\">postgres</td><td data-label=\"from\"><span class=\"s up\">UP</span></td>"
                                + "<td data-label=\"to\"><span class=\"s down\">DOWN</span></td>",
                        "<a href=\"health/ready\">readiness</a> <span class=\"s locked\">LOCKED</span>",
                        "<a href=\"health/live\">liveness</a> <span class=\"s up\">UP</span>");
        assertThat(html).doesNotContain("<script");
        assertThat(count(html, "<tr>"))
                .as("header and one row per check, per lock and per transition")
                .isEqualTo(1 + 4 + 1 + 1 + 1 + 1);
        assertThat(dom.stderr()).doesNotContain("Content Security Policy");

        screenshot(chromium, url("/health"), "status-page-down.png");
    }

    private Run screenshot(Path chromium, String url, String name) throws Exception {
        Path png = tmp.resolve(name);
        Run r = run(
                chromium,
                tmp.resolve("shot-" + name),
                "--screenshot=" + png,
                "--window-size=1200,900",
                "--hide-scrollbars",
                url);
        assertThat(png).as("screenshot written; chromium said: %s", r.stderr()).exists();
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).as("a non-trivial PNG").isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.ISO_8859_1)).isEqualTo("PNG");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(1200);
        assertThat(image.getHeight()).isEqualTo(900);
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colors.add(image.getRGB(x, y));
            }
        }
        assertThat(colors.size())
                .as("text and colored badges, not a blank page")
                .isGreaterThan(20);
        if (Boolean.getBoolean("vigil.docs.screenshots")) {
            Files.createDirectories(DOCS_IMG);
            Files.copy(png, DOCS_IMG.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return r;
    }

    /** What one browser run printed. */
    record Run(String stdout, String stderr) {}

    /** Runs Chromium once with a fresh profile, bounded by {@link #LAUNCH_TIMEOUT}; kills it on overrun. */
    private static Run run(Path chromium, Path work, String... args) throws Exception {
        Files.createDirectories(work);
        Path profile = work.resolve("profile");
        List<String> cmd = new ArrayList<>(List.of(
                chromium.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-dev-shm-usage",
                "--enable-logging=stderr",
                "--v=0",
                "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        Path out = work.resolve("stdout");
        Path err = work.resolve("stderr");
        Process p = new ProcessBuilder(cmd)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            if (!p.waitFor(LAUNCH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                fail("chromium did not finish within " + LAUNCH_TIMEOUT + ": " + Files.readString(err));
            }
            assertThat(p.exitValue())
                    .as("chromium exit; stderr: %s", Files.readString(err))
                    .isZero();
            return new Run(Files.readString(out), Files.readString(err));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.onExit().get(10, TimeUnit.SECONDS);
            deleteQuietly(profile);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover profile in the test's temporary directory is removed with it
        }
    }

    /** @return Chromium from {@code $CHROMIUM} or the {@code PATH}, or {@code null} */
    static Path findChromium() {
        String explicit = System.getenv("CHROMIUM");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv("PATH");
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    private static Path chromiumOrSkip() {
        Path chromium = findChromium();
        if (chromium == null) {
            String message = "chromium not found on PATH: the status page browser tests are skipped. Install it to run"
                    + " them: `sudo apt-get install chromium` (Debian/Ubuntu), or point $CHROMIUM at a Chromium binary.";
            if ("true".equalsIgnoreCase(System.getenv(REQUIRE_ENV))) {
                fail(message + " (" + REQUIRE_ENV + "=true makes this a failure)");
            }
            assumeTrue(false, message);
        }
        return chromium;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
