package io.vigil.health.signals;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DiskCheck} on a real, small file system: a 1 MiB tmpfs mounted for the test, which needs root (or
 * CAP_SYS_ADMIN); elsewhere the test is skipped with a message in the build log.
 */
class DiskCheckTest {
    @TempDir
    Path dir;

    private Path mounted;

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private Path smallFileSystem() throws IOException, InterruptedException {
        Path mountPoint = Files.createDirectory(dir.resolve("tmpfs"));
        int exit = run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mountPoint.toString());
        if (exit != 0) {
            String why = "DiskCheckTest skipped: cannot mount a 1 MiB tmpfs (needs root or CAP_SYS_ADMIN; mount exited "
                    + exit + ")";
            System.out.println(why);
            Assumptions.assumeTrue(false, why);
        }
        mounted = mountPoint;
        return mountPoint;
    }

    @AfterEach
    void unmount() throws IOException, InterruptedException {
        if (mounted != null) {
            run("umount", mounted.toString());
        }
    }

    @Test
    void freeSpaceInPercentDegradesThenFailsAndTheWorstOfSeveralPathsDecides() throws Exception {
        Path small = smallFileSystem();
        DiskCheck check = DiskCheck.builder(dir, small)
                .warnBelowFreePercent(10)
                .failBelowFreePercent(3)
                .build();
        CheckResult empty = check.check();

        Files.write(small.resolve("fill-1"), new byte[240 * 4096]); // 16 of 256 pages left: 6.25 %
        CheckResult warn = check.check();
        Files.write(small.resolve("fill-2"), new byte[10 * 4096]); // 6 pages left: 2.3 %
        CheckResult fail = check.check();

        assertThat(empty.status()).isEqualTo(Status.UP);
        assertThat(empty.data())
                .containsEntry(small + " freePercent", 100.0)
                .containsEntry(small + " totalBytes", 1048576L);
        assertThat(warn.status()).isEqualTo(Status.DEGRADED);
        assertThat(warn.message()).isEqualTo(small + ": free 6.25 % is below the warn limit 10 %");
        assertThat(fail.status()).isEqualTo(Status.DOWN);
        assertThat(fail.message()).isEqualTo(small + ": free 2.344 % is below the fail limit 3 %");
        assertThat(fail.data())
                .containsKeys(dir + " freePercent", small + " freeBytes")
                .containsEntry("freePercentWarnBelow", 10.0)
                .containsEntry("freePercentFailBelow", 3.0);
    }

    @Test
    void freeBytesLimitsApplyBesidePercent() throws Exception {
        Path small = smallFileSystem();
        Files.write(small.resolve("fill"), new byte[128 * 4096]); // half full: 512 KiB free

        CheckResult r =
                DiskCheck.builder(small).failBelowFreeBytes(600_000).build().check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo(small + ": free 524288 bytes is below the fail limit 600000 bytes");
        assertThat(r.data()).containsEntry("freeBytesFailBelow", 600_000L);
    }

    @Test
    void aPathThatCannotBeReadIsDownNamingIt() {
        Path missing = dir.resolve("no/such/dir");

        CheckResult r = DiskCheck.builder(missing).build().check();

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("cannot read the file system of " + missing + ": NoSuchFileException");
        assertThat(DiskCheck.builder(missing).build().nonBlocking()).isFalse();
    }
}
