package io.vigil.health.spring;

import io.vigil.health.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's settings of health from numbers (module {@code health-signals}): resource checks behind
 * {@code vigil.health.memory.enabled}, {@code vigil.health.gc.enabled}, ... (all off by default), and threshold
 * checks on meters of the application's {@code MeterRegistry} under {@code vigil.health.meters.<name>.*}. Every
 * setting is listed in {@code docs/spring-boot.md}. Mutable only while Spring binds it.
 */
@ConfigurationProperties(prefix = VigilHealthProperties.PREFIX)
public class VigilSignalsProperties {
    /** The defaults; Spring binds the signals settings onto it. */
    public VigilSignalsProperties() {}

    private final Memory memory = new Memory();
    private final Gc gc = new Gc();
    private final FileDescriptors fileDescriptors = new FileDescriptors();
    private final Threads threads = new Threads();
    private final Container container = new Container();
    private final Disk disk = new Disk();
    /** Threshold checks on meters of the application's MeterRegistry, by check name. */
    private final Map<String, Meter> meters = new LinkedHashMap<>();

    /** What a meter threshold judges. */
    public enum MeterKind {
        /** The sum of the matching gauges' values. */
        GAUGE,
        /** Events per second of the matching counters over the window. */
        RATE,
        /** The increase of one set of counts over another's over the window. */
        RATIO,
        /** A percentile of the matching timers (seconds) or summaries. */
        PERCENTILE,
        /** The maximum of the matching timers (seconds) or summaries. */
        MAX
    }

    /** @return the memory settings */
    public Memory getMemory() {
        return memory;
    }

    /** @return the gc settings */
    public Gc getGc() {
        return gc;
    }

    /** @return the fileDescriptors settings */
    public FileDescriptors getFileDescriptors() {
        return fileDescriptors;
    }

    /** @return the threads settings */
    public Threads getThreads() {
        return threads;
    }

    /** @return the container settings */
    public Container getContainer() {
        return container;
    }

    /** @return the disk settings */
    public Disk getDisk() {
        return disk;
    }

    /** @return the meters settings */
    public Map<String, Meter> getMeters() {
        return meters;
    }

    /** {@code vigil.health.memory.*}: a {@code MemoryCheck} named {@code memory}, on liveness and readiness. */
    public static class Memory {
        /** The defaults; Spring binds the signals settings onto it. */
        public Memory() {}

        /** Whether the check is registered. */
        private boolean enabled;
        /** DEGRADED above this share of the maximum heap still used after GC (or of a bounded non-heap pool). */
        private double warnAbovePercent = 90;
        /** DOWN above this share of the maximum heap still used after GC (or of a bounded non-heap pool). */
        private double failAbovePercent = 97;

        /** @return whether the check is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param value whether the check is registered */
        public void setEnabled(boolean value) {
            this.enabled = value;
        }

        /** @return DEGRADED above this share of the maximum heap still used after GC (or of a bounded non-heap pool) */
        public double getWarnAbovePercent() {
            return warnAbovePercent;
        }

        /**
         * @param value DEGRADED above this share of the maximum heap still used after GC (or of a bounded non-heap
         * pool)
         */
        public void setWarnAbovePercent(double value) {
            this.warnAbovePercent = value;
        }

        /** @return DOWN above this share of the maximum heap still used after GC (or of a bounded non-heap pool) */
        public double getFailAbovePercent() {
            return failAbovePercent;
        }

        /**
         * @param value DOWN above this share of the maximum heap still used after GC (or of a bounded non-heap pool)
         */
        public void setFailAbovePercent(double value) {
            this.failAbovePercent = value;
        }
    }

    /** {@code vigil.health.gc.*}: a {@code GcOverheadCheck} named {@code gc}, on liveness and readiness. */
    public static class Gc {
        /** The defaults; Spring binds the signals settings onto it. */
        public Gc() {}

        /** Whether the check is registered. */
        private boolean enabled;
        /** DEGRADED above this share of the window spent in GC. */
        private double warnAbovePercent = 50;
        /** DOWN above this share of the window spent in GC. */
        private double failAbovePercent = 90;
        /** The span the GC share is taken over. */
        private Duration window = Duration.ofMinutes(1);

        /** @return whether the check is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param value whether the check is registered */
        public void setEnabled(boolean value) {
            this.enabled = value;
        }

        /** @return DEGRADED above this share of the window spent in GC */
        public double getWarnAbovePercent() {
            return warnAbovePercent;
        }

        /** @param value DEGRADED above this share of the window spent in GC */
        public void setWarnAbovePercent(double value) {
            this.warnAbovePercent = value;
        }

        /** @return DOWN above this share of the window spent in GC */
        public double getFailAbovePercent() {
            return failAbovePercent;
        }

        /** @param value DOWN above this share of the window spent in GC */
        public void setFailAbovePercent(double value) {
            this.failAbovePercent = value;
        }

        /** @return the span the GC share is taken over */
        public Duration getWindow() {
            return window;
        }

        /** @param value the span the GC share is taken over */
        public void setWindow(Duration value) {
            this.window = value;
        }
    }

    /**
     * {@code vigil.health.file-descriptors.*}: a {@code FileDescriptorCheck} named {@code file-descriptors}, on
     * readiness.
     */
    public static class FileDescriptors {
        /** The defaults; Spring binds the signals settings onto it. */
        public FileDescriptors() {}

        /** Whether the check is registered. */
        private boolean enabled;
        /** DEGRADED above this share of the process's descriptor limit in use. */
        private double warnAbovePercent = 90;
        /** DOWN above this share of the process's descriptor limit in use; unset for never. */
        private @Nullable Double failAbovePercent;

        /** @return whether the check is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param value whether the check is registered */
        public void setEnabled(boolean value) {
            this.enabled = value;
        }

        /** @return DEGRADED above this share of the process's descriptor limit in use */
        public double getWarnAbovePercent() {
            return warnAbovePercent;
        }

        /** @param value DEGRADED above this share of the process's descriptor limit in use */
        public void setWarnAbovePercent(double value) {
            this.warnAbovePercent = value;
        }

        /** @return DOWN above this share of the process's descriptor limit in use; unset for never */
        public @Nullable Double getFailAbovePercent() {
            return failAbovePercent;
        }

        /** @param value DOWN above this share of the process's descriptor limit in use; unset for never */
        public void setFailAbovePercent(Double value) {
            this.failAbovePercent = value;
        }
    }

    /** {@code vigil.health.threads.*}: a {@code ThreadCheck} named {@code threads}, on readiness. */
    public static class Threads {
        /** The defaults; Spring binds the signals settings onto it. */
        public Threads() {}

        /** Whether the check is registered. */
        private boolean enabled;
        /** DEGRADED above this many live threads. */
        private int warnAbove = 1000;
        /** DOWN above this many live threads; unset for never. */
        private @Nullable Integer failAbove;

        /** @return whether the check is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param value whether the check is registered */
        public void setEnabled(boolean value) {
            this.enabled = value;
        }

        /** @return DEGRADED above this many live threads */
        public int getWarnAbove() {
            return warnAbove;
        }

        /** @param value DEGRADED above this many live threads */
        public void setWarnAbove(int value) {
            this.warnAbove = value;
        }

        /** @return DOWN above this many live threads; unset for never */
        public @Nullable Integer getFailAbove() {
            return failAbove;
        }

        /** @param value DOWN above this many live threads; unset for never */
        public void setFailAbove(Integer value) {
            this.failAbove = value;
        }
    }

    /** {@code vigil.health.container.*}: a {@code ContainerCheck} named {@code container}, on readiness. */
    public static class Container {
        /** The defaults; Spring binds the signals settings onto it. */
        public Container() {}

        /** Whether the check is registered. */
        private boolean enabled;
        /** DEGRADED above this share of the cgroup memory limit in use. */
        private double memoryWarnAbovePercent = 90;
        /** DOWN above this share of the cgroup memory limit in use; unset for never. */
        private @Nullable Double memoryFailAbovePercent;
        /** DEGRADED above this share of CPU periods throttled over the window. */
        private double throttledWarnAbovePercent = 50;
        /** DOWN above this share of CPU periods throttled over the window; unset for never. */
        private @Nullable Double throttledFailAbovePercent;
        /** The span the throttling share is taken over. */
        private Duration window = Duration.ofMinutes(1);

        /** @return whether the check is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param value whether the check is registered */
        public void setEnabled(boolean value) {
            this.enabled = value;
        }

        /** @return DEGRADED above this share of the cgroup memory limit in use */
        public double getMemoryWarnAbovePercent() {
            return memoryWarnAbovePercent;
        }

        /** @param value DEGRADED above this share of the cgroup memory limit in use */
        public void setMemoryWarnAbovePercent(double value) {
            this.memoryWarnAbovePercent = value;
        }

        /** @return DOWN above this share of the cgroup memory limit in use; unset for never */
        public @Nullable Double getMemoryFailAbovePercent() {
            return memoryFailAbovePercent;
        }

        /** @param value DOWN above this share of the cgroup memory limit in use; unset for never */
        public void setMemoryFailAbovePercent(Double value) {
            this.memoryFailAbovePercent = value;
        }

        /** @return DEGRADED above this share of CPU periods throttled over the window */
        public double getThrottledWarnAbovePercent() {
            return throttledWarnAbovePercent;
        }

        /** @param value DEGRADED above this share of CPU periods throttled over the window */
        public void setThrottledWarnAbovePercent(double value) {
            this.throttledWarnAbovePercent = value;
        }

        /** @return DOWN above this share of CPU periods throttled over the window; unset for never */
        public @Nullable Double getThrottledFailAbovePercent() {
            return throttledFailAbovePercent;
        }

        /** @param value DOWN above this share of CPU periods throttled over the window; unset for never */
        public void setThrottledFailAbovePercent(Double value) {
            this.throttledFailAbovePercent = value;
        }

        /** @return the span the throttling share is taken over */
        public Duration getWindow() {
            return window;
        }

        /** @param value the span the throttling share is taken over */
        public void setWindow(Duration value) {
            this.window = value;
        }
    }

    /** {@code vigil.health.disk.*}: a {@code DiskCheck} named {@code disk}, on readiness. */
    public static class Disk {
        /** The defaults; Spring binds the signals settings onto it. */
        public Disk() {}

        /** Whether the check is registered. */
        private boolean enabled;
        /** Paths whose file systems are watched, each judged on its own (file system paths, not Spring resources). */
        private List<String> paths = new ArrayList<>(List.of("."));
        /** DEGRADED below this share of a file system free. */
        private double warnBelowFreePercent = 10;
        /** DOWN below this share of a file system free; unset for never. */
        private @Nullable Double failBelowFreePercent;

        /** @return whether the check is registered */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param value whether the check is registered */
        public void setEnabled(boolean value) {
            this.enabled = value;
        }

        /** @return paths whose file systems are watched, each judged on its own */
        public List<String> getPaths() {
            return paths;
        }

        /** @param value paths whose file systems are watched, each judged on its own */
        public void setPaths(List<String> value) {
            this.paths = value;
        }

        /** @return DEGRADED below this share of a file system free */
        public double getWarnBelowFreePercent() {
            return warnBelowFreePercent;
        }

        /** @param value DEGRADED below this share of a file system free */
        public void setWarnBelowFreePercent(double value) {
            this.warnBelowFreePercent = value;
        }

        /** @return DOWN below this share of a file system free; unset for never */
        public @Nullable Double getFailBelowFreePercent() {
            return failBelowFreePercent;
        }

        /** @param value DOWN below this share of a file system free; unset for never */
        public void setFailBelowFreePercent(Double value) {
            this.failBelowFreePercent = value;
        }
    }

    /**
     * {@code vigil.health.meters.<name>.*}: a {@code MeterCheck} named {@code <name>} on a meter of the application's
     * {@code MeterRegistry}, on readiness.
     */
    public static class Meter {
        /** The defaults; Spring binds the signals settings onto it. */
        public Meter() {}

        /** What is judged: gauge (value), rate (per second), ratio (of two counts), percentile or max. */
        private MeterKind type = MeterKind.GAUGE;
        /** The meter's name, e.g. http.server.requests. */
        private @Nullable String meter;
        /** Tags the meters must carry. */
        private Map<String, String> tags = new LinkedHashMap<>();
        /** With type ratio: the denominator's meter name; defaults to meter. */
        private @Nullable String denominatorMeter;
        /** With type ratio: tags of the denominator's meters. */
        private Map<String, String> denominatorTags = new LinkedHashMap<>();
        /** With type percentile: the percentile, in (0, 1). */
        private double percentile = 0.95;
        /** DEGRADED above this value. */
        private @Nullable Double warnAbove;
        /** DOWN above this value. */
        private @Nullable Double failAbove;
        /** DEGRADED below this value. */
        private @Nullable Double warnBelow;
        /** DOWN below this value. */
        private @Nullable Double failBelow;
        /** The span of rates, ratios and the minimum sample count. */
        private Duration window = Duration.ofMinutes(1);
        /**
         * Events in the window below which the check is UP with not enough data; default 0 for a rate, 10 otherwise.
         */
        private @Nullable Long minSamples;
        /** Status while no meter matches. */
        private Status whenMissing = Status.UP;

        /** @return what is judged: gauge (value), rate (per second), ratio (of two counts), percentile or max */
        public MeterKind getType() {
            return type;
        }

        /** @param value what is judged: gauge (value), rate (per second), ratio (of two counts), percentile or max */
        public void setType(MeterKind value) {
            this.type = value;
        }

        /** @return the meter's name, e.g. http.server.requests */
        public @Nullable String getMeter() {
            return meter;
        }

        /** @param value the meter's name, e.g. http.server.requests */
        public void setMeter(String value) {
            this.meter = value;
        }

        /** @return tags the meters must carry */
        public Map<String, String> getTags() {
            return tags;
        }

        /** @param value tags the meters must carry */
        public void setTags(Map<String, String> value) {
            this.tags = value;
        }

        /** @return with type ratio: the denominator's meter name; defaults to meter */
        public @Nullable String getDenominatorMeter() {
            return denominatorMeter;
        }

        /** @param value with type ratio: the denominator's meter name; defaults to meter */
        public void setDenominatorMeter(String value) {
            this.denominatorMeter = value;
        }

        /** @return with type ratio: tags of the denominator's meters */
        public Map<String, String> getDenominatorTags() {
            return denominatorTags;
        }

        /** @param value with type ratio: tags of the denominator's meters */
        public void setDenominatorTags(Map<String, String> value) {
            this.denominatorTags = value;
        }

        /** @return with type percentile: the percentile, in (0, 1) */
        public double getPercentile() {
            return percentile;
        }

        /** @param value with type percentile: the percentile, in (0, 1) */
        public void setPercentile(double value) {
            this.percentile = value;
        }

        /** @return DEGRADED above this value */
        public @Nullable Double getWarnAbove() {
            return warnAbove;
        }

        /** @param value DEGRADED above this value */
        public void setWarnAbove(Double value) {
            this.warnAbove = value;
        }

        /** @return DOWN above this value */
        public @Nullable Double getFailAbove() {
            return failAbove;
        }

        /** @param value DOWN above this value */
        public void setFailAbove(Double value) {
            this.failAbove = value;
        }

        /** @return DEGRADED below this value */
        public @Nullable Double getWarnBelow() {
            return warnBelow;
        }

        /** @param value DEGRADED below this value */
        public void setWarnBelow(Double value) {
            this.warnBelow = value;
        }

        /** @return DOWN below this value */
        public @Nullable Double getFailBelow() {
            return failBelow;
        }

        /** @param value DOWN below this value */
        public void setFailBelow(Double value) {
            this.failBelow = value;
        }

        /** @return the span of rates, ratios and the minimum sample count */
        public Duration getWindow() {
            return window;
        }

        /** @param value the span of rates, ratios and the minimum sample count */
        public void setWindow(Duration value) {
            this.window = value;
        }

        /**
         * @return events in the window below which the check is UP with not enough data; default 0 for a rate, 10
         * otherwise
         */
        public @Nullable Long getMinSamples() {
            return minSamples;
        }

        /**
         * @param value events in the window below which the check is UP with not enough data; default 0 for a rate, 10
         * otherwise
         */
        public void setMinSamples(Long value) {
            this.minSamples = value;
        }

        /** @return status while no meter matches */
        public Status getWhenMissing() {
            return whenMissing;
        }

        /** @param value status while no meter matches */
        public void setWhenMissing(Status value) {
            this.whenMissing = value;
        }
    }
}
