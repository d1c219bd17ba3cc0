package io.vigil.health.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Scenario a: ten trivial UP checks, one readiness probe serialised to JSON bytes per operation. The library is
 * whichever one is on the class path ({@link Library#load()}); run with {@code -prof gc} for bytes per operation.
 * Nothing here runs in the normal build.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProbeBenchmark {
    /** Number of checks registered. */
    public static final int CHECKS = 10;

    /** The library's variant, e.g. {@code cached} or {@code uncached} for Vigil; {@code default} is the first. */
    @Param({"default"})
    public String variant;

    private Subject subject;

    /**
     * Sets the library up and makes sure it answers UP with every check.
     *
     * @throws Exception if the library fails to answer correctly
     */
    @Setup(Level.Trial)
    public void open() throws Exception {
        Library library = Library.load();
        subject = library.open(library.resolve(variant), Fixtures.trivial(CHECKS), Duration.ofSeconds(1));
        Sanity.requireAllUp(subject.probe(), Fixtures.trivial(CHECKS));
    }

    /** Stops the library. */
    @TearDown(Level.Trial)
    public void close() {
        subject.close();
    }

    /**
     * @return the JSON body, so that the JIT cannot drop the work
     * @throws Exception whatever the library throws
     */
    @Benchmark
    public byte[] probe() throws Exception {
        return subject.probe();
    }
}
