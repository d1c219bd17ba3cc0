package io.vigil.health.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link ProbeBenchmark} for every variant of the library on the class path, with the GC profiler, writing
 * CSV results. Usage: {@code ProbeMain CSV-FILE [JMH options such as -wi 5 -i 5 -r 2s]}.
 */
public final class ProbeMain {

    private ProbeMain() {}

    /**
     * @param args the CSV file, then JMH command-line options
     * @throws Exception when JMH fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: ProbeMain CSV-FILE [JMH options]");
        }
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        Library library = Library.load();
        Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(rest))
                .include(ProbeBenchmark.class.getName() + ".probe")
                .param("variant", library.variants("a").toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.CSV)
                .result(args[0])
                .build();
        new Runner(options).run();
    }
}
