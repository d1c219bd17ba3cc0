package io.vigil.health.spring;

import io.vigil.health.CheckPolicy;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.signals.ContainerCheck;
import io.vigil.health.signals.DiskCheck;
import io.vigil.health.signals.FileDescriptorCheck;
import io.vigil.health.signals.GcOverheadCheck;
import io.vigil.health.signals.MemoryCheck;
import io.vigil.health.signals.ThreadCheck;
import java.nio.file.Path;
import org.springframework.beans.factory.SmartInitializingSingleton;

/** Registers the resource checks that {@code vigil.health.<check>.enabled} turns on. */
final class SignalsRegistrar implements SmartInitializingSingleton {
    private static final CheckPolicy LIVENESS_AND_READINESS =
            CheckPolicy.builder().probes(Probe.LIVENESS, Probe.READINESS).build();
    private final HealthRegistry registry;
    private final VigilHealthProperties health;
    private final VigilSignalsProperties signals;

    SignalsRegistrar(HealthRegistry registry, VigilHealthProperties health, VigilSignalsProperties signals) {
        this.registry = registry;
        this.health = health;
        this.signals = signals;
    }

    @Override
    public void afterSingletonsInstantiated() {
        VigilSignalsProperties.Memory memory = signals.getMemory();
        if (memory.isEnabled()) {
            CheckRegistrar.register(
                    registry,
                    health,
                    "memory",
                    MemoryCheck.builder()
                            .warnAbovePercent(memory.getWarnAbovePercent())
                            .failAbovePercent(memory.getFailAbovePercent())
                            .build(),
                    LIVENESS_AND_READINESS);
        }
        VigilSignalsProperties.Gc gc = signals.getGc();
        if (gc.isEnabled()) {
            CheckRegistrar.register(
                    registry,
                    health,
                    "gc",
                    GcOverheadCheck.builder()
                            .warnAbovePercent(gc.getWarnAbovePercent())
                            .failAbovePercent(gc.getFailAbovePercent())
                            .window(gc.getWindow())
                            .build(),
                    LIVENESS_AND_READINESS);
        }
        VigilSignalsProperties.FileDescriptors fds = signals.getFileDescriptors();
        if (fds.isEnabled()) {
            FileDescriptorCheck.Builder b = FileDescriptorCheck.builder().warnAbovePercent(fds.getWarnAbovePercent());
            if (fds.getFailAbovePercent() != null) {
                b.failAbovePercent(fds.getFailAbovePercent());
            }
            CheckRegistrar.register(registry, health, "file-descriptors", b.build(), CheckPolicy.defaults());
        }
        VigilSignalsProperties.Threads threads = signals.getThreads();
        if (threads.isEnabled()) {
            ThreadCheck.Builder b = ThreadCheck.builder().warnAbove(threads.getWarnAbove());
            if (threads.getFailAbove() != null) {
                b.failAbove(threads.getFailAbove());
            }
            CheckRegistrar.register(registry, health, "threads", b.build(), CheckPolicy.defaults());
        }
        VigilSignalsProperties.Container container = signals.getContainer();
        if (container.isEnabled()) {
            ContainerCheck.Builder b = ContainerCheck.builder()
                    .memoryWarnAbovePercent(container.getMemoryWarnAbovePercent())
                    .throttledWarnAbovePercent(container.getThrottledWarnAbovePercent())
                    .window(container.getWindow());
            if (container.getMemoryFailAbovePercent() != null) {
                b.memoryFailAbovePercent(container.getMemoryFailAbovePercent());
            }
            if (container.getThrottledFailAbovePercent() != null) {
                b.throttledFailAbovePercent(container.getThrottledFailAbovePercent());
            }
            CheckRegistrar.register(registry, health, "container", b.build(), CheckPolicy.defaults());
        }
        VigilSignalsProperties.Disk disk = signals.getDisk();
        if (disk.isEnabled()) {
            if (disk.getPaths().isEmpty()) {
                throw new IllegalStateException(VigilHealthProperties.PREFIX + ".disk.paths must name a path");
            }
            Path[] paths = disk.getPaths().stream().map(Path::of).toArray(Path[]::new);
            DiskCheck.Builder b = DiskCheck.builder(paths[0], java.util.Arrays.copyOfRange(paths, 1, paths.length))
                    .warnBelowFreePercent(disk.getWarnBelowFreePercent());
            if (disk.getFailBelowFreePercent() != null) {
                b.failBelowFreePercent(disk.getFailBelowFreePercent());
            }
            CheckRegistrar.register(registry, health, "disk", b.build(), CheckPolicy.defaults());
        }
    }
}
