package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM with a small heap by {@link ResourceChecksForkedTest}: retains 512 KiB at a time and collects, printing
 * every status change of a {@link MemoryCheck} (warn above 50 %, fail above 80 %) until it is DOWN.
 */
public final class MemoryHog {
    private MemoryHog() {}

    public static void main(String[] args) {
        MemoryCheck check =
                MemoryCheck.builder().warnAbovePercent(50).failAbovePercent(80).build();
        List<byte[]> retained = new ArrayList<>();
        Status last = null;
        try {
            while (true) {
                System.gc();
                CheckResult r = check.check();
                if (r.status() != last) {
                    System.out.println(
                            "STATUS " + r.status() + " " + r.data().get("heapAfterGcPercent") + " | " + r.message());
                    last = r.status();
                }
                if (r.status() == Status.DOWN) {
                    System.out.println("DONE");
                    return;
                }
                retained.add(new byte[512 * 1024]);
            }
        } catch (OutOfMemoryError e) {
            retained.clear();
            System.out.println("OOM before DOWN");
        }
    }
}
