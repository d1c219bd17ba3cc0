package io.vigil.health.checks;

import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Free space on the file system holding a path: DOWN below {@code minFreeBytes}, DEGRADED below
 * {@code warnFreeBytes}, UP otherwise. Data: {@code freeBytes}, {@code totalBytes}, {@code minFreeBytes}.
 */
public final class DiskSpaceCheck implements HealthCheck {
    private final Path path;
    private final long minFreeBytes;
    private final long warnFreeBytes;

    /**
     * @param path          any path on the file system to watch
     * @param minFreeBytes  DOWN below this many usable bytes
     * @param warnFreeBytes DEGRADED below this many usable bytes; at least {@code minFreeBytes}
     * @throws IllegalArgumentException for negative or inverted thresholds
     */
    public DiskSpaceCheck(Path path, long minFreeBytes, long warnFreeBytes) {
        this.path = Objects.requireNonNull(path, "path");
        if (minFreeBytes < 0 || warnFreeBytes < minFreeBytes) {
            throw new IllegalArgumentException("need 0 <= minFreeBytes <= warnFreeBytes");
        }
        this.minFreeBytes = minFreeBytes;
        this.warnFreeBytes = warnFreeBytes;
    }

    /**
     * DOWN below 10 MiB, DEGRADED below 100 MiB.
     *
     * @param path any path on the file system to watch
     */
    public DiskSpaceCheck(Path path) {
        this(path, 10L << 20, 100L << 20);
    }

    @Override
    public CheckResult check() throws IOException {
        FileStore store = Files.getFileStore(path);
        long free = store.getUsableSpace();
        CheckResult r;
        if (free < minFreeBytes) {
            r = CheckResult.down("only " + free + " bytes free, need " + minFreeBytes);
        } else if (free < warnFreeBytes) {
            r = CheckResult.degraded("only " + free + " bytes free, warn below " + warnFreeBytes);
        } else {
            r = CheckResult.up();
        }
        return r.withData("freeBytes", free)
                .withData("totalBytes", store.getTotalSpace())
                .withData("minFreeBytes", minFreeBytes);
    }
}
