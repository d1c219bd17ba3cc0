package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fuzzes what {@link ContainerCheck} reads: any {@code /proc/self/cgroup} and any content of the v2 or v1 memory and
 * CPU files give a result, never an exception and never DOWN (the default limits only warn), and a result whose
 * message is short. {@code mvn verify} replays the seeds in src/test/resources/.../CgroupFuzzTestInputs;
 * {@code -Pfuzz} fuzzes for real.
 */
class CgroupFuzzTest {
    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("cgroup-fuzz");
            ROOT.toFile().deleteOnExit(); // empty by then: each input deletes its own files
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    @FuzzTest(maxDuration = "60s")
    void anyCgroupFilesGiveAResultNeverAnErrorNorDown(FuzzedDataProvider data) throws IOException {
        boolean v2 = data.consumeBoolean();
        String proc = data.consumeString(120);
        String max = data.consumeString(30);
        String current = data.consumeString(30);
        String memoryStat = data.consumeString(120);
        String cpuStat = data.consumeRemainingAsString();
        Path root = Files.createTempDirectory(ROOT, v2 ? "v2" : "v1");
        try {
            run(v2, proc, max, current, memoryStat, cpuStat, root);
        } finally {
            try (java.util.stream.Stream<Path> files = Files.walk(root)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void run(
            boolean v2, String proc, String max, String current, String memoryStat, String cpuStat, Path root)
            throws IOException {
        Path procFile = root.resolve("proc-self-cgroup");
        write(procFile, proc);
        Path memory = v2 ? root.resolve("sys") : root.resolve("sys/memory");
        Path cpu = v2 ? memory : root.resolve("sys/cpu,cpuacct");
        if (v2) {
            write(memory.resolve("cgroup.controllers"), "cpu memory\n");
        }
        write(memory.resolve(v2 ? "memory.max" : "memory.limit_in_bytes"), max);
        write(memory.resolve(v2 ? "memory.current" : "memory.usage_in_bytes"), current);
        write(memory.resolve("memory.stat"), memoryStat);
        write(cpu.resolve("cpu.stat"), cpuStat);
        AtomicLong now = new AtomicLong();

        ContainerCheck check = ContainerCheck.builder()
                .cgroupRoot(root.resolve("sys"))
                .ticker(now::get)
                .procSelfCgroup(procFile)
                .build();
        now.addAndGet(60_000_000_000L);
        write(cpu.resolve("cpu.stat"), cpuStat + "\nnr_periods 7\n");
        CheckResult r = check.check();

        assertThat(r.status()).isNotEqualTo(Status.DOWN);
        assertThat(r.message()).hasSizeLessThan(400);
    }
}
