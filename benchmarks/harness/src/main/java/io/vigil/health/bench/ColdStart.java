package io.vigil.health.bench;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;

/**
 * The cold-start figure, run once per fresh JVM: from the moment the harness has found the library on the class path
 * to its first readiness answer with 10 trivial checks registered (the library's classes loaded, its registry built,
 * the checks registered, one probe evaluated and serialised). Appends {@code main_ms=… uptime_ms=…} to a file; {@code uptime}
 * adds the JVM's own start, the same for every library. Usage: {@code ColdStart FILE}.
 */
public final class ColdStart {

    private ColdStart() {}

    /**
     * @param args the file to append the line to
     * @throws Exception when the library fails
     */
    public static void main(String[] args) throws Exception {
        Library library = Library.load(); // the harness's ServiceLoader look-up, the same for every library
        long t0 = System.nanoTime();
        byte[] body;
        try (Subject s = library.open(
                library.resolve("default"), Fixtures.trivial(ProbeBenchmark.CHECKS), Duration.ofSeconds(1))) {
            body = s.probe();
            long took = System.nanoTime() - t0;
            long uptime = ManagementFactory.getRuntimeMXBean().getUptime(); // after the measurement: JMX is not free
            Sanity.requireAllUp(body, Fixtures.trivial(ProbeBenchmark.CHECKS));
            String line = String.format(Locale.ROOT, "main_ms=%.1f uptime_ms=%d%n", took / 1e6, uptime);
            Files.writeString(
                    Path.of(args[0]),
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.print(line);
        }
        System.exit(0);
    }
}
