package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ContainerCheck} on fake cgroup v2 and v1 trees, with none, and on this machine's real one. */
class ContainerCheckTest {
    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(5_000_000_000L);

    private Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    private ContainerCheck.Builder builder(Path root, String procSelfCgroup) throws IOException {
        return ContainerCheck.builder()
                .cgroupRoot(root)
                .ticker(now::get)
                .procSelfCgroup(write(dir.resolve("proc-self-cgroup"), procSelfCgroup));
    }

    @Test
    void cgroupV2MemoryNearItsLimitAndThrottledCpuDegradeAndFailAtTheirLimits() throws IOException {
        Path root = dir.resolve("v2");
        write(root.resolve("cgroup.controllers"), "cpu memory pids\n");
        Path own = root.resolve("kubepods/pod1/app");
        write(own.resolve("memory.max"), "1048576000\n");
        write(own.resolve("memory.current"), "1000000000\n");
        write(own.resolve("memory.stat"), "anon 900000000\ninactive_file 30000000\nactive_file 70000000\n");
        write(own.resolve("cpu.stat"), "usage_usec 1\nnr_periods 100\nnr_throttled 10\nthrottled_usec 5\n");
        ContainerCheck check = builder(root, "0::/kubepods/pod1/app\n")
                .throttledFailAbovePercent(60)
                .build();

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        write(own.resolve("cpu.stat"), "usage_usec 1\nnr_periods 200\nnr_throttled 80\nthrottled_usec 9\n");
        CheckResult r = check.check();

        // working set = 1000000000 - 30000000 of 1048576000 = 92.5 % (DEGRADED); throttled (80 - 10) / (200 - 100) = 70
        // %
        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("CPU periods throttled 70 % is above the fail limit 60 %");
        assertThat(r.data())
                .containsEntry("cgroupVersion", 2)
                .containsEntry("memoryWorkingSetBytes", 970000000L)
                .containsEntry("memoryLimitBytes", 1048576000L)
                .containsEntry("memoryPercent", 92.5064)
                .containsEntry("throttledPercent", 70.0)
                .containsEntry("periods", 100L);
    }

    @Test
    void cgroupV2WithoutAMemoryLimitIsUpSayingSo() throws IOException {
        Path root = dir.resolve("v2");
        write(root.resolve("cgroup.controllers"), "memory\n");
        write(root.resolve("memory.max"), "max\n");
        write(root.resolve("memory.current"), "5000\n");
        write(root.resolve("memory.stat"), "inactive_file 0\n");

        CheckResult r = builder(root, "0::/\n").build().check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.message()).isEqualTo("no memory limit");
        assertThat(r.data()).containsEntry("memoryWorkingSetBytes", 5000L).doesNotContainKey("memoryLimitBytes");
    }

    @Test
    void cgroupV1MemoryInANamespaceFallsBackToTheMountRoot() throws IOException {
        Path root = dir.resolve("v1");
        write(root.resolve("memory/memory.limit_in_bytes"), "1000000\n");
        write(root.resolve("memory/memory.usage_in_bytes"), "950000\n");
        write(root.resolve("memory/memory.stat"), "cache 10\ntotal_inactive_file 0\n");
        write(root.resolve("cpu,cpuacct/cpu.stat"), "nr_periods 0\nnr_throttled 0\nthrottled_time 0\n");

        CheckResult r = builder(root, "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n")
                .build()
                .check();

        assertThat(r.status()).isEqualTo(Status.DEGRADED);
        assertThat(r.message()).isEqualTo("memory (limit 0 MiB) 95 % is above the warn limit 90 %");
        assertThat(r.data())
                .containsEntry("cgroupVersion", 1)
                .containsEntry("memoryPercent", 95.0)
                .doesNotContainKey("throttledPercent"); // no period passed: nothing to say about CPU
    }

    @Test
    void cgroupV1UnlimitedIsNoLimit() throws IOException {
        Path root = dir.resolve("v1");
        write(root.resolve("memory/memory.limit_in_bytes"), "9223372036854771712\n");
        write(root.resolve("memory/memory.usage_in_bytes"), "950000\n");
        write(root.resolve("memory/memory.stat"), "inactive_file 0\n");

        assertThat(builder(root, "").build().check().message()).isEqualTo("no memory limit");
    }

    @Test
    void withoutCgroupsTheCheckIsUpWithNoData() throws IOException {
        CheckResult r = builder(dir.resolve("empty"), "").build().check();

        assertThat(r.status()).isEqualTo(Status.UP);
        assertThat(r.message()).startsWith("no cgroup found");
        assertThat(r.data()).isEmpty();
    }

    @Test
    void theRealCgroupOfThisProcessIsReadWhenPresent() throws IOException {
        Cgroup real = Cgroup.find(Path.of("/sys/fs/cgroup"), Path.of("/proc/self/cgroup"));
        Assumptions.assumeTrue(
                real != null && real.memory() != null,
                "no cgroup memory controller on this machine: the real cgroup is not checked");

        CheckResult r = ContainerCheck.builder().build().check();

        assertThat(r.status()).isNotEqualTo(Status.DOWN);
        assertThat(r.data()).containsEntry("cgroupVersion", real.version());
        assertThat((Long) r.data().get("memoryWorkingSetBytes")).isPositive();
    }
}
