package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run under a low {@code ulimit -n} by {@link ResourceChecksForkedTest}: opens a file again and again, printing every
 * status change of a {@link FileDescriptorCheck} (warn above 50 %, fail above 80 %) until it is DOWN.
 */
public final class DescriptorHog {
    private DescriptorHog() {}

    public static void main(String[] args) throws IOException {
        FileDescriptorCheck check = FileDescriptorCheck.builder()
                .warnAbovePercent(50)
                .failAbovePercent(80)
                .build();
        Path file = Files.createTempFile("fd", ".txt");
        List<FileInputStream> open = new ArrayList<>();
        Status last = null;
        try {
            while (true) {
                CheckResult r = check.check();
                if (r.status() != last) {
                    System.out.println("STATUS " + r.status() + " " + r.data().get("open") + "/"
                            + r.data().get("max") + " | " + r.message());
                    last = r.status();
                }
                if (r.status() == Status.DOWN) {
                    System.out.println("DONE");
                    return;
                }
                open.add(new FileInputStream(file.toFile()));
            }
        } catch (IOException e) {
            System.out.println("EXHAUSTED before DOWN: " + e.getMessage());
        } finally {
            for (FileInputStream in : open) {
                in.close();
            }
            Files.deleteIfExists(file);
        }
    }
}
