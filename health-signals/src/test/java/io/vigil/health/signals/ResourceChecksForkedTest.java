package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The resource checks against real JVMs pushed to their limits: a small heap, a low descriptor limit. */
class ResourceChecksForkedTest {

    @Test
    void heapAfterGcCrossesTheWarnThenTheFailLimitBeforeTheJvmRunsOutOfMemory() throws Exception {
        ForkedJvm.Run run = ForkedJvm.run("", List.of("-Xmx64m", "-Xms16m"), MemoryHog.class);

        assertThat(run.lines())
                .as(String.join("\n", run.lines()))
                .contains("DONE")
                .doesNotContain("OOM before DOWN");
        List<String> statuses = run.lines().stream()
                .filter(l -> l.startsWith("STATUS "))
                .map(l -> l.split(" ")[1])
                .toList();
        assertThat(statuses).containsExactly("UP", "DEGRADED", "DOWN");
        String down = run.lines().stream()
                .filter(l -> l.startsWith("STATUS DOWN"))
                .findFirst()
                .orElseThrow();
        assertThat(Double.parseDouble(down.split(" ")[2])).isGreaterThan(80.0);
        assertThat(down).contains("heap after GC (max ").contains("is above the fail limit 80 %");
    }

    @Test
    void aJvmWhoseHeapIsFullOfLiveDataThrashesAndTheGcOverheadCheckGoesDown() throws Exception {
        ForkedJvm.Run run = ForkedJvm.run("", List.of("-Xmx48m", "-Xms48m", "-XX:+UseSerialGC"), GcHog.class);

        assertThat(run.lines()).as(String.join("\n", run.lines())).anyMatch(l -> l.startsWith("DONE"));
        List<String> statuses = run.lines().stream()
                .filter(l -> l.startsWith("STATUS "))
                .map(l -> l.split(" ")[1])
                .toList();
        assertThat(statuses).endsWith("DOWN").doesNotHaveDuplicates();
        String down = run.lines().stream()
                .filter(l -> l.startsWith("STATUS DOWN"))
                .findFirst()
                .orElseThrow();
        assertThat(Double.parseDouble(down.split(" ")[2])).isGreaterThan(40.0);
        assertThat(down).contains("is above the fail limit 40 % over the last");
    }

    @Test
    void openDescriptorsCrossTheWarnThenTheFailLimitOfTheProcessLimit() throws Exception {
        ForkedJvm.Run run = ForkedJvm.run("ulimit -n 256", List.of("-Xmx64m"), DescriptorHog.class);

        assertThat(run.lines()).as(String.join("\n", run.lines())).contains("DONE");
        List<String> statuses = run.lines().stream()
                .filter(l -> l.startsWith("STATUS "))
                .map(l -> l.split(" ")[1])
                .toList();
        assertThat(statuses).containsExactly("UP", "DEGRADED", "DOWN");
        String down = run.lines().stream()
                .filter(l -> l.startsWith("STATUS DOWN"))
                .findFirst()
                .orElseThrow();
        assertThat(down).contains("/256 |").contains("file descriptors in use").contains("above the fail limit 80 %");
    }
}
