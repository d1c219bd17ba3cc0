package io.vigil.health.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reads what run.sh collected in one directory (JMH CSV files {@code a-LIB.csv}, scenario files
 * {@code s-LIB.properties}, {@code http.properties}, {@code machine.properties}) and prints Markdown: the figures,
 * Vigil's ratios to each peer, and each goal of the issue with whether this run meets it. Usage:
 * {@code Report DIR}.
 */
public final class Report {
    static final String[] LIBS = {"vigil", "spring-boot", "dropwizard", "smallrye"};
    static final String VIGIL = "vigil";
    static final String SPRING = "spring-boot";
    /** Vigil's own hard bound on its threads with the default builder: {@code maxThreads} 32 plus its timer. */
    static final int ENGINE_THREAD_BOUND = 33;

    private final Path dir;
    private final Map<String, Properties> scenarios = new LinkedHashMap<>();
    /** library → variant → (ops/s, B/op). */
    private final Map<String, Map<String, double[]>> probes = new LinkedHashMap<>();

    private final StringBuilder out = new StringBuilder();

    Report(Path dir) {
        this.dir = dir;
    }

    /**
     * @param args the results directory
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Report r = new Report(Path.of(args.length > 0 ? args[0] : "benchmarks/results"));
        r.load();
        System.out.print(r.render());
    }

    void load() throws IOException {
        for (String lib : LIBS) {
            Path s = dir.resolve("s-" + lib + ".properties");
            if (Files.exists(s)) {
                scenarios.put(lib, read(s));
            }
            Path a = dir.resolve("a-" + lib + ".csv");
            if (Files.exists(a)) {
                probes.put(lib, readJmh(a));
            }
        }
    }

    static Properties read(Path p) throws IOException {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(p)) {
            props.load(r);
        }
        return props;
    }

    static Map<String, double[]> readJmh(Path csv) throws IOException {
        Map<String, double[]> byVariant = new LinkedHashMap<>();
        for (String line : Files.readAllLines(csv)) {
            if (line.startsWith("\"Benchmark\"")) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < 8) {
                continue;
            }
            String bench = f[0].replace("\"", "");
            String variant = f[7].replace("\"", "");
            double score = Double.parseDouble(f[4]);
            double[] v = byVariant.computeIfAbsent(variant, k -> new double[] {Double.NaN, Double.NaN});
            if (bench.endsWith(".probe")) {
                v[0] = score;
            } else if (bench.endsWith(":gc.alloc.rate.norm")) {
                v[1] = score;
            }
        }
        return byVariant;
    }

    String render() throws IOException {
        Path m = dir.resolve("machine.properties");
        Properties machine = Files.exists(m) ? read(m) : new Properties();
        line("Run " + machine.getProperty("date", "?") + " on " + machine.getProperty("cpu", "?") + ", "
                + machine.getProperty("cores", "?") + " cores, " + machine.getProperty("memory", "?") + "; "
                + machine.getProperty("java", "?") + "; load average before " + machine.getProperty("load_before", "?")
                + ", after " + machine.getProperty("load_after", "?") + ".");
        line("");
        figures();
        line("");
        ratios();
        line("");
        goals();
        return out.toString();
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    private String title(String lib) {
        Properties p = scenarios.get(lib);
        return p == null ? lib : p.getProperty("library.name") + " " + p.getProperty("library.version");
    }

    /** The variants a scenario measured for a library ({@code a} from the JMH results). */
    private List<String> variants(String lib, String scenario) {
        if (scenario.equals("a") && probes.containsKey(lib)) {
            return new ArrayList<>(probes.get(lib).keySet());
        }
        Properties p = scenarios.get(lib);
        if (p != null) {
            return List.of(p.getProperty("library.variants." + scenario, p.getProperty("library.variants"))
                    .split(","));
        }
        return List.of();
    }

    /** How a variant is shown: Vigil's uncached variants name their lane. */
    static String label(String lib, String variant) {
        if (!lib.equals(VIGIL)) {
            return variant;
        }
        return switch (variant) {
            case "uncached" -> "uncached, pooled";
            case "inline" -> "uncached, inline";
            default -> variant;
        };
    }

    /** One cell: each variant's value, prefixed with the variant's name when there are several. */
    private String cell(String lib, String scenario, Function<String, String> value) {
        List<String> vs = variants(lib, scenario);
        if (vs.isEmpty()) {
            return "not run";
        }
        List<String> parts = new ArrayList<>();
        for (String v : vs) {
            String x = value.apply(v);
            parts.add(vs.size() > 1 ? label(lib, v) + ": " + x : x);
        }
        return String.join("<br>", parts);
    }

    /** @return the median of a cold-start measure over the fresh JVMs run.sh started, or NaN */
    private double cold(String lib, String key) {
        Path f = dir.resolve("cold-" + lib + ".txt");
        if (!Files.exists(f)) {
            return Double.NaN;
        }
        List<Double> values = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(f)) {
                for (String kv : line.trim().split(" ", -1)) {
                    if (kv.startsWith(key + "=")) {
                        values.add(Double.parseDouble(kv.substring(key.length() + 1)));
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Double.NaN;
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        values.sort(null);
        return values.get(values.size() / 2);
    }

    private String prop(String lib, String key) {
        Properties p = scenarios.get(lib);
        return p == null ? null : p.getProperty(key);
    }

    private void figures() {
        StringBuilder head = new StringBuilder("| scenario |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String lib : LIBS) {
            head.append(' ').append(title(lib)).append(" |");
            rule.append("---|");
        }
        line(head.toString());
        line(rule.toString());
        row(
                "a. 10 trivial UP checks → JSON bytes, one thread: ops/s",
                lib -> cell(lib, "a", v -> ops(score(lib, v, 0))));
        row("a. allocated per probe", lib -> cell(lib, "a", v -> bytes(score(lib, v, 1))));
        row(
                "b. 5 checks × 50 ms: one probe (median of 10)",
                lib -> cell(lib, "b", v -> prop(lib, "b." + v + ".median_ms") + " ms"));
        row(
                "c. one check blocks forever (timeout " + Scenarios.C_TIMEOUT.toMillis()
                        + " ms): probes answered within " + (Scenarios.C_TIMEOUT.toMillis() + Scenarios.C_SLACK_MILLIS)
                        + " ms; live threads added",
                lib -> cell(lib, "c", v -> hangCell(lib, v)));
        row(
                "d. 200 concurrent probes, one 100 ms check: times it ran",
                lib -> cell(
                        lib,
                        "d",
                        v -> prop(lib, "d." + v + ".runs") + "× (" + prop(lib, "d." + v + ".wall_ms") + " ms)"));
        row("cold start: fresh JVM, registry built + 10 checks + first answer (median of 5; JVM uptime then)", lib -> {
            double main = cold(lib, "main_ms");
            return Double.isNaN(main) ? "not run" : fmt(main) + " ms (" + fmt(cold(lib, "uptime_ms")) + " ms)";
        });
        row("runtime footprint (jars the library brings)", lib -> {
            String jars = prop(lib, "footprint.jars");
            return jars == null ? "not run" : jars + " jars, " + mib(Long.parseLong(prop(lib, "footprint.bytes")));
        });
        Path h = dir.resolve("http.properties");
        if (Files.exists(h)) {
            try {
                Properties http = read(h);
                line("| HTTP (wrk, Jetty 12, loopback): /health/ready, 10 cached checks vs a constant 200-byte body | "
                        + http.getProperty("vigil_rps") + " req/s vs " + http.getProperty("constant_rps")
                        + " req/s = " + percent(ratio(http, "vigil_rps", "constant_rps")) + " |  |  |  |");
            } catch (IOException e) {
                line("| HTTP | unreadable: " + e.getMessage() + " | | | |");
            }
        }
    }

    private void row(String label, Function<String, String> value) {
        StringBuilder b = new StringBuilder("| ").append(label).append(" |");
        for (String lib : LIBS) {
            b.append(' ').append(value.apply(lib)).append(" |");
        }
        line(b.toString());
    }

    private String hangCell(String lib, String v) {
        String k = "c." + v + ".";
        if (prop(lib, k + "probes") == null) {
            return "not run";
        }
        String s = prop(lib, k + "in_time") + "/" + prop(lib, k + "probes");
        String answered = prop(lib, k + "answered");
        if (Boolean.parseBoolean(prop(lib, k + "hangs"))) {
            s += " (the rest hang)";
        } else if (!answered.equals(prop(lib, k + "in_time"))) {
            s += " (" + answered + " answered, slowest " + prop(lib, k + "max_ms") + " ms)";
        } else {
            s += " (slowest " + prop(lib, k + "max_ms") + " ms)";
        }
        return s + ", +" + prop(lib, k + "threads_delta") + " threads";
    }

    private double score(String lib, String variant, int which) {
        Map<String, double[]> m = probes.get(lib);
        double[] v = m == null ? null : m.get(variant);
        return v == null ? Double.NaN : v[which];
    }

    private void ratios() {
        line("Vigil ÷ peer, same run (for ops/s above 1 means Vigil does more per second; for time, bytes and "
                + "footprint below 1 means Vigil needs less):");
        line("");
        line("| measure | vs " + title(SPRING) + " | vs " + title("dropwizard") + " | vs " + title("smallrye") + " |");
        line("|---|---|---|---|");
        for (String vv : variants(VIGIL, "a")) {
            ratioRow("a. ops/s, Vigil " + label(VIGIL, vv), score(VIGIL, vv, 0), (lib, v) -> score(lib, v, 0), true);
            ratioRow(
                    "a. bytes per probe, Vigil " + label(VIGIL, vv),
                    score(VIGIL, vv, 1),
                    (lib, v) -> score(lib, v, 1),
                    true);
        }
        ratioRow(
                "b. probe time, Vigil uncached",
                number(prop(VIGIL, "b.uncached.median_ms")),
                (lib, v) -> number(prop(lib, "b." + v + ".median_ms")),
                true);
        ratioRow(
                "footprint, MiB",
                number(prop(VIGIL, "footprint.bytes")),
                (lib, v) -> number(prop(lib, "footprint.bytes")),
                false);
        ratioRow("cold start", cold(VIGIL, "main_ms"), (lib, v) -> cold(lib, "main_ms"), false);
    }

    /** A row dividing one Vigil figure by each peer's figure, per peer variant when {@code perVariant}. */
    private void ratioRow(String label, double vigil, BiFunction<String, String, Double> peer, boolean perVariant) {
        StringBuilder b = new StringBuilder("| ").append(label).append(" |");
        for (String lib : new String[] {SPRING, "dropwizard", "smallrye"}) {
            List<String> vs = perVariant
                    ? variants(lib, "a")
                    : variants(lib, "a").stream().limit(1).toList();
            List<String> parts = new ArrayList<>();
            for (String v : vs) {
                String r = times(vigil / peer.apply(lib, v));
                parts.add(vs.size() > 1 ? v + ": " + r : r);
            }
            b.append(' ')
                    .append(parts.isEmpty() ? "not run" : String.join("<br>", parts))
                    .append(" |");
        }
        line(b.toString());
    }

    private void goals() {
        line("Goals of issue 14 (engine cost) in this run, ratios to Spring Boot in the same run:");
        line("");
        line("| goal | target | measured | met |");
        line("|---|---|---|---|");
        double spring = score(SPRING, "sequential", 0);
        perProbe("a. uncached, pooled", "uncached", 0.5, 2048, spring);
        perProbe("a. uncached, inline", "inline", 1.5, 1024, spring);
        perProbe("a. cached", "cached", 12, 512, spring);
        String k = "c.async.";
        if (prop(VIGIL, k + "probes") == null) {
            goal("c. async", "every probe in time, +0 threads", "not run", false);
        } else {
            int probesRun = (int) number(prop(VIGIL, k + "probes"));
            int inTime = (int) number(prop(VIGIL, k + "in_time"));
            int delta = (int) number(prop(VIGIL, k + "threads_delta"));
            int first = (int) number(prop(VIGIL, k + "threads_delta_first_round"));
            goal(
                    "c. async (the hung check is asynchronous)",
                    "every probe in time, +0 threads after 1,000 probes",
                    inTime + "/" + probesRun + " in time, slowest " + prop(VIGIL, k + "max_ms") + " ms; threads +"
                            + delta + " after 1,000 probes, +" + first + " of them already after the first 10 (the "
                            + "registry's own, started once), so +" + (delta - first) + " from the probes",
                    inTime == probesRun && delta - first <= 0);
        }
        double coldVigil = cold(VIGIL, "main_ms");
        double coldSpring = cold(SPRING, "main_ms");
        goal(
                "cold start",
                "≤ ⅓ of Spring Boot's",
                fmt(coldVigil) + " ms vs " + fmt(coldSpring) + " ms = " + times(coldVigil / coldSpring),
                coldVigil / coldSpring <= 1.0 / 3);
        double b = number(prop(VIGIL, "b.uncached.median_ms"));
        goal(
                "b. 5 checks × 50 ms (as before)",
                "≤ 60 ms (1.2 × the slowest check)",
                "uncached median " + fmt(b) + " ms",
                b <= 60);
        StringBuilder c = new StringBuilder();
        boolean cMet = true;
        for (String v : List.of("cached", "uncached")) {
            String kv = "c." + v + ".";
            int probesRun = (int) number(prop(VIGIL, kv + "probes"));
            int inTime = (int) number(prop(VIGIL, kv + "in_time"));
            int maxDelta = (int) number(prop(VIGIL, kv + "threads_delta_max"));
            cMet &= inTime == probesRun && maxDelta <= ENGINE_THREAD_BOUND;
            c.append(label(VIGIL, v))
                    .append(": ")
                    .append(inTime)
                    .append('/')
                    .append(probesRun)
                    .append(" in time, threads +")
                    .append(maxDelta)
                    .append(" at most; ");
        }
        goal(
                "c. blocking checks (as before)",
                "every probe in time; threads never above the engine's " + ENGINE_THREAD_BOUND,
                c.toString().trim(),
                cMet);
        StringBuilder d = new StringBuilder();
        boolean dMet = true;
        for (String v : variants(VIGIL, "d")) {
            String runs = prop(VIGIL, "d." + v + ".runs");
            dMet &= "1".equals(runs);
            d.append(label(VIGIL, v)).append(": ").append(runs).append("× ");
        }
        goal(
                "d. 200 concurrent probes (as before)",
                "the slow check runs once",
                d.toString().trim(),
                dMet);
        int jars = (int) number(prop(VIGIL, "footprint.jars"));
        double bytes = number(prop(VIGIL, "footprint.bytes"));
        goal(
                "footprint (as before)",
                "≤ 3 jars and ≤ 1 MiB",
                jars + " jars, " + mib((long) bytes),
                jars <= 3 && bytes <= 1024 * 1024);
        Path h = dir.resolve("http.properties");
        if (Files.exists(h)) {
            try {
                double r = ratio(read(h), "vigil_rps", "constant_rps");
                goal("HTTP (as before)", "≥ 90 % of the constant body's req/s", percent(r), r >= 0.9);
            } catch (IOException e) {
                goal("HTTP (as before)", "≥ 90 %", "unreadable", false);
            }
        } else {
            goal("HTTP (as before)", "≥ 90 % of the constant body's req/s", "not run", false);
        }
    }

    private void perProbe(String name, String variant, double minRatio, double maxBytes, double spring) {
        double ops = score(VIGIL, variant, 0);
        double bytes = score(VIGIL, variant, 1);
        goal(
                name,
                "≥ " + fmt(minRatio) + " × Spring Boot, ≤ " + bytes(maxBytes) + " per probe",
                ops(ops) + " ops/s = " + times(ops / spring) + ", " + bytes(bytes),
                ops / spring >= minRatio && bytes <= maxBytes);
    }

    private void goal(String name, String target, String measured, boolean met) {
        line("| " + name + " | " + target + " | " + measured + " | " + (met ? "yes" : "**no**") + " |");
    }

    static double ratio(Properties p, String a, String b) {
        return number(p.getProperty(a)) / number(p.getProperty(b));
    }

    static double number(String s) {
        try {
            return s == null ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    static String ops(double v) {
        if (Double.isNaN(v)) {
            return "not run";
        }
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        }
        return v >= 1e3 ? String.format(Locale.ROOT, "%.0fk", v / 1e3) : String.format(Locale.ROOT, "%.0f", v);
    }

    static String bytes(double v) {
        if (Double.isNaN(v)) {
            return "not run";
        }
        return v >= 1024 ? String.format(Locale.ROOT, "%.1f KB", v / 1024) : String.format(Locale.ROOT, "%.0f B", v);
    }

    static String mib(long b) {
        return String.format(Locale.ROOT, "%.2f MiB", b / (1024.0 * 1024.0));
    }

    static String times(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "n/a" : String.format(Locale.ROOT, "×%.2f", r);
    }

    static String percent(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.0f %%", r * 100);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
