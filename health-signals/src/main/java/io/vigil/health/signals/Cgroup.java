package io.vigil.health.signals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The process's own cgroup, v2 (unified) or v1 (memory and cpu controllers), read from the files the kernel
 * exposes: {@code memory.current}/{@code memory.max}/{@code memory.stat}/{@code cpu.stat} (v2),
 * {@code memory.usage_in_bytes}/{@code memory.limit_in_bytes}/{@code memory.stat}/{@code cpu.stat} (v1). The
 * directory is found from {@code /proc/self/cgroup} under the mount root; inside a container with its own cgroup
 * namespace that path is {@code /} and the root itself is the process's cgroup. Reading is strict: a value that is
 * not a number is an {@link IOException} naming the file, never another exception ({@code CgroupFuzzTest}).
 *
 * @param version 2 or 1
 * @param memory  the memory controller's directory, or null
 * @param cpu     the cpu controller's directory, or null
 */
record Cgroup(int version, @Nullable Path memory, @Nullable Path cpu) {
    /** v1 reports "no limit" as a page-rounded Long.MAX_VALUE; anything this large is no limit. */
    private static final long V1_UNLIMITED = 1L << 62;

    /** @return the process's cgroup under {@code root}, or null when there is none to read */
    static @Nullable Cgroup find(Path root, Path procSelfCgroup) {
        List<String> lines;
        try {
            lines = Files.readAllLines(procSelfCgroup);
        } catch (IOException | RuntimeException e) {
            lines = List.of();
        }
        if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
            String own = lines.stream()
                    .filter(l -> l.startsWith("0::"))
                    .map(l -> l.substring(3))
                    .findFirst()
                    .orElse("/");
            Path dir = below(root, own, "memory.max");
            return new Cgroup(
                    2,
                    Files.isRegularFile(dir.resolve("memory.max")) ? dir : null,
                    Files.isRegularFile(dir.resolve("cpu.stat")) ? dir : null);
        }
        Path memory = v1(root, lines, "memory", "memory.limit_in_bytes");
        Path cpu = v1(root, lines, "cpu", "cpu.stat");
        return memory == null && cpu == null ? null : new Cgroup(1, memory, cpu);
    }

    private static @Nullable Path v1(Path root, List<String> lines, String controller, String file) {
        try {
            return v1Unchecked(root, lines, controller, file);
        } catch (InvalidPathException e) {
            return null; // a path the file system cannot name is no cgroup of ours
        }
    }

    private static @Nullable Path v1Unchecked(Path root, List<String> lines, String controller, String file) {
        for (String line : lines) {
            String[] f = line.split(":", 3);
            if (f.length == 3 && List.of(f[1].split(",")).contains(controller)) {
                Path mount = root.resolve(f[1]);
                if (!Files.isDirectory(mount)) {
                    mount = root.resolve(controller);
                }
                Path dir = below(mount, f[2], file);
                return Files.isRegularFile(dir.resolve(file)) ? dir : null;
            }
        }
        Path mount = root.resolve(controller);
        return Files.isRegularFile(mount.resolve(file)) ? mount : null;
    }

    /** @return {@code mount/own} when it holds {@code file}, else the mount itself (a cgroup namespace) */
    private static Path below(Path mount, String own, String file) {
        String rel = own.startsWith("/") ? own.substring(1) : own;
        try {
            Path dir = rel.isEmpty() ? mount : mount.resolve(rel).normalize();
            return dir.startsWith(mount) && Files.isRegularFile(dir.resolve(file)) ? dir : mount;
        } catch (InvalidPathException e) {
            return mount;
        }
    }

    /** @return bytes in use: {@code memory.current} or {@code memory.usage_in_bytes} */
    long memoryUsed() throws IOException {
        Path file = memoryDir().resolve(version == 2 ? "memory.current" : "memory.usage_in_bytes");
        return number(read(file), file);
    }

    /** @return the limit in bytes, or -1 for none */
    long memoryLimit() throws IOException {
        Path file = memoryDir().resolve(version == 2 ? "memory.max" : "memory.limit_in_bytes");
        String v = read(file);
        if (v.equals("max")) {
            return -1;
        }
        long limit = number(v, file);
        return version == 1 && limit >= V1_UNLIMITED ? -1 : limit;
    }

    /** @return the page cache the kernel reclaims before it kills: {@code inactive_file}, 0 when not reported */
    long inactiveFile() throws IOException {
        long total = stat(memoryDir().resolve("memory.stat"), "total_inactive_file");
        return total >= 0 ? total : Math.max(0, stat(memoryDir().resolve("memory.stat"), "inactive_file"));
    }

    /** @return {@code {nr_periods, nr_throttled}} from {@code cpu.stat} */
    double[] cpuPeriods() throws IOException {
        Path stat = Objects.requireNonNull(cpu, "callers read CPU only when cpu() is known")
                .resolve("cpu.stat");
        return new double[] {Math.max(0, stat(stat, "nr_periods")), Math.max(0, stat(stat, "nr_throttled"))};
    }

    private Path memoryDir() {
        return Objects.requireNonNull(memory, "callers read memory only when memory() is known");
    }

    private static long stat(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key + " ")) {
                return number(line.substring(key.length() + 1).trim(), file);
            }
        }
        return -1;
    }

    /** @return the number, or an {@link IOException} naming the file and (the start of) what it holds */
    static long number(String value, Path file) throws IOException {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
            throw new IOException("not a number in " + file + ": '" + shown.replaceAll("\\p{Cntrl}", "?") + "'");
        }
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file).trim();
    }
}
