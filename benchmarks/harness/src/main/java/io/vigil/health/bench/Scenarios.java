package io.vigil.health.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenarios b, c, d and the footprint, for the one library on the class path, every variant of it. Results go to
 * a properties file that {@link Report} reads. Usage:
 * {@code Scenarios --out FILE [--exclude-classpath FILE] [--adapter PATH]...}.
 * <ul>
 *   <li>b: five checks of 50 ms each; the time of one probe in which every check really runs (a fresh subject per
 *       probe, so no cache ever answers).</li>
 *   <li>c: one of five checks blocks forever and ignores interrupts; probes come ten at a time, each on its own
 *       caller thread as a servlet container would send them; a probe is answered in time within the check
 *       timeout + 50 ms, and live threads are counted after each round (and
 *       after the first, to tell threads a library starts once from threads that pile up).</li>
 *   <li>d: 200 probes released at once against one check of 100 ms; how many times the check runs.</li>
 * </ul>
 */
public final class Scenarios {
    static final int B_CHECKS = 5;
    static final Duration B_DELAY = Duration.ofMillis(50);
    static final int B_PROBES = 10;
    static final Duration C_TIMEOUT = Duration.ofMillis(200);
    static final long C_SLACK_MILLIS = 50;
    static final int C_PER_ROUND = 10;
    static final int C_MAX_PROBES = 1000;
    static final long C_WAIT_MILLIS = 1000;
    static final int D_REQUESTS = 200;
    static final Duration D_DELAY = Duration.ofMillis(100);

    private final Library library;
    private final Properties out = new Properties();

    private Scenarios(Library library) {
        this.library = library;
    }

    /**
     * @param args {@code --out FILE}, optional {@code --exclude-classpath FILE} (the harness's own class path,
     *             left out of the footprint) and {@code --adapter PATH} (the adapter module, also left out)
     * @throws Exception on a broken setup
     */
    public static void main(String[] args) throws Exception {
        Path outFile = null;
        List<String> excluded = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> outFile = Path.of(args[++i]);
                case "--exclude-classpath" ->
                    excluded.addAll(Arrays.asList(
                            Files.readString(Path.of(args[++i])).trim().split(File.pathSeparator)));
                case "--adapter" -> excluded.add(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (outFile == null) {
            throw new IllegalArgumentException("--out FILE is required");
        }
        Library library = Library.load();
        Scenarios s = new Scenarios(library);
        s.out.setProperty("library.name", library.name());
        s.out.setProperty("library.version", library.version());
        s.out.setProperty("library.variants", String.join(",", library.variants()));
        for (String scenario : new String[] {"a", "b", "c", "d"}) {
            s.out.setProperty("library.variants." + scenario, String.join(",", library.variants(scenario)));
        }
        s.out.setProperty("java.version", System.getProperty("java.version"));
        s.footprint(excluded);
        for (String v : library.variants("b")) {
            s.scenarioB(v);
        }
        for (String v : library.variants("d")) {
            s.scenarioD(v);
        }
        for (String v : library.variants("c")) {
            s.scenarioC(v); // last: peers leave hung threads behind until the blocker is released
        }
        Path parent = outFile.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        try (OutputStream o = Files.newOutputStream(outFile)) {
            s.out.store(o, library.name() + " " + library.version());
        }
        System.out.println("wrote " + outFile);
        System.exit(0); // hung peer threads must not keep the JVM alive
    }

    private void put(String key, Object value) {
        out.setProperty(key, String.valueOf(value));
        System.out.println(library.name() + " " + key + " = " + value);
    }

    void footprint(List<String> excludedEntries) throws IOException {
        Set<Path> excluded = new HashSet<>();
        for (String e : excludedEntries) {
            if (!e.isBlank()) {
                excluded.add(Path.of(e.trim()).toAbsolutePath().normalize());
            }
        }
        List<String> names = new ArrayList<>();
        long bytes = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            if (e.isBlank()) {
                continue;
            }
            Path p = Path.of(e).toAbsolutePath().normalize();
            if (excluded.contains(p) || !Files.exists(p)) {
                continue;
            }
            names.add(p.getFileName().toString());
            if (Files.isDirectory(p)) {
                try (var files = Files.walk(p)) {
                    bytes += files.filter(Files::isRegularFile)
                            .mapToLong(f -> f.toFile().length())
                            .sum();
                }
            } else {
                bytes += Files.size(p);
            }
        }
        put("footprint.jars", names.size());
        put("footprint.bytes", bytes);
        put("footprint.list", String.join(" ", names));
    }

    void scenarioB(String variant) throws Exception {
        List<NamedCheck> checks = new ArrayList<>();
        for (int i = 1; i <= B_CHECKS; i++) {
            checks.add(Fixtures.sleeping("slow-" + i, B_DELAY));
        }
        long[] took = new long[B_PROBES];
        for (int i = -2; i < B_PROBES; i++) { // two untimed rounds warm the code up
            try (Subject s = library.open(variant, checks, Duration.ofSeconds(1))) {
                long t0 = System.nanoTime();
                byte[] body = s.probe();
                long t = System.nanoTime() - t0;
                Sanity.requireAllUp(body, checks);
                if (i >= 0) {
                    took[i] = t;
                }
            }
        }
        Arrays.sort(took);
        put("b." + variant + ".median_ms", millis(took[B_PROBES / 2]));
        put("b." + variant + ".min_ms", millis(took[0]));
        put("b." + variant + ".max_ms", millis(took[B_PROBES - 1]));
    }

    void scenarioD(String variant) throws Exception {
        Fixtures.Counter counter = new Fixtures.Counter();
        NamedCheck slow = counter.count(Fixtures.sleeping("slow", D_DELAY));
        try (Subject s = library.open(variant, List.of(slow), Duration.ofSeconds(1))) {
            CountDownLatch ready = new CountDownLatch(D_REQUESTS);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger failed = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < D_REQUESTS; i++) {
                Thread t = new Thread(
                        () -> {
                            ready.countDown();
                            try {
                                go.await();
                                Sanity.requireAllUp(s.probe(), List.of(slow));
                            } catch (Exception e) { // a wrong or failed answer
                                failed.incrementAndGet();
                            }
                        },
                        "probe-" + i);
                t.start();
                threads.add(t);
            }
            ready.await(30, TimeUnit.SECONDS);
            long t0 = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join(30_000);
            }
            put("d." + variant + ".requests", D_REQUESTS);
            put("d." + variant + ".runs", counter.runs());
            put("d." + variant + ".failed", failed.get());
            put("d." + variant + ".wall_ms", millis(System.nanoTime() - t0));
        }
    }

    void scenarioC(String variant) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long limitNanos = C_TIMEOUT.toNanos() + TimeUnit.MILLISECONDS.toNanos(C_SLACK_MILLIS);
        try (Fixtures.Blocker blocker = new Fixtures.Blocker()) {
            List<NamedCheck> checks = new ArrayList<>(Fixtures.trivial(4));
            checks.add(blocker.check("stuck"));
            try (Subject s = library.open(variant, checks, C_TIMEOUT)) {
                int baseline = mx.getThreadCount();
                int probes = 0;
                int answered = 0;
                int late = 0;
                long max = 0;
                int maxDelta = 0;
                int delta = 0;
                int firstDelta = 0;
                boolean hangs = false;
                while (probes < C_MAX_PROBES) {
                    AtomicLong[] took = new AtomicLong[C_PER_ROUND];
                    Thread[] callers = new Thread[C_PER_ROUND];
                    for (int i = 0; i < C_PER_ROUND; i++) {
                        AtomicLong slot = new AtomicLong(-1);
                        took[i] = slot;
                        callers[i] = new Thread(
                                () -> {
                                    long t0 = System.nanoTime();
                                    try {
                                        s.probe();
                                    } catch (Exception e) {
                                        // an error answer is still an answer; its time counts
                                    }
                                    slot.set(System.nanoTime() - t0);
                                },
                                "caller-" + (probes + i));
                        callers[i].setDaemon(true);
                        callers[i].start();
                    }
                    long deadline = System.nanoTime() + limitNanos + TimeUnit.MILLISECONDS.toNanos(C_WAIT_MILLIS);
                    int roundAnswered = 0;
                    for (int i = 0; i < C_PER_ROUND; i++) {
                        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                        callers[i].join(Math.max(1, left));
                        long t = took[i].get();
                        if (t >= 0) {
                            callers[i].join(); // it has answered; let it end so that it is not counted as live
                            roundAnswered++;
                            max = Math.max(max, t);
                            if (t > limitNanos) {
                                late++;
                            }
                        }
                    }
                    probes += C_PER_ROUND;
                    answered += roundAnswered;
                    delta = mx.getThreadCount() - baseline;
                    maxDelta = Math.max(maxDelta, delta);
                    if (probes == C_PER_ROUND) {
                        firstDelta = delta; // threads the library starts once (pools, listeners), not per probe
                    }
                    if (roundAnswered == 0 && probes >= 2 * C_PER_ROUND) {
                        hangs = true; // two rounds stuck entirely: enough to show it, no need to pile up more
                        break;
                    }
                }
                put("c." + variant + ".timeout_ms", C_TIMEOUT.toMillis());
                put("c." + variant + ".probes", probes);
                put("c." + variant + ".answered", answered);
                put("c." + variant + ".in_time", answered - late);
                put("c." + variant + ".max_ms", answered == 0 ? "-" : millis(max));
                put("c." + variant + ".hangs", hangs);
                put("c." + variant + ".threads_delta", delta);
                put("c." + variant + ".threads_delta_max", maxDelta);
                put("c." + variant + ".threads_delta_first_round", firstDelta);
                put("c." + variant + ".check_entered", blocker.entered());
            }
        }
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
