package io.vigil.health.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Counts TCP connections as the kernel sees them ({@code /proc/net/tcp} and {@code tcp6}, Linux only), for tests
 * that assert a client holds no more connections to a server than it should, whoever opened them.
 */
public final class TcpConnections {
    private static final String ESTABLISHED = "01";

    private TcpConnections() {}

    /** @return whether the counts can be read here */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/net/tcp"));
    }

    /**
     * @param port a server's port on this host
     * @return connections in state ESTABLISHED whose remote end is that port: the client sides of connections to it
     */
    public static int establishedTo(int port) {
        String hexPort = String.format(":%04X", port);
        int n = 0;
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path p = Path.of(file);
            if (!Files.isReadable(p)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(p)) {
                    String[] f = line.trim().split("\\s+", -1);
                    if (f.length > 3 && f[2].endsWith(hexPort) && ESTABLISHED.equals(f[3])) {
                        n++;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    /** @return file descriptors this JVM has open */
    public static long openFileDescriptors() {
        return ((com.sun.management.UnixOperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getOpenFileDescriptorCount();
    }
}
