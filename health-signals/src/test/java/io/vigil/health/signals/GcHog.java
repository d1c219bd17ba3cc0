package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM with a small heap by {@link ResourceChecksForkedTest}: fills most of the heap with live data, then
 * keeps allocating and collecting the full heap back to back (as a JVM whose live data no longer fits does),
 * printing every status change of a {@link GcOverheadCheck} (warn above 20 %, fail above 40 % over 2 s: a JVM doing
 * nothing but full collections measured 60 to 65 % on the build machine) until it is DOWN or 30 s have passed.
 */
public final class GcHog {
    private GcHog() {}

    public static void main(String[] args) {
        GcOverheadCheck check = GcOverheadCheck.builder()
                .warnAbovePercent(20)
                .failAbovePercent(40)
                .window(Duration.ofSeconds(2))
                .build();
        // load and link what printing a result needs while there is room (formatting loads locale data lazily)
        System.out.println("WARM " + check.check().message() + " " + Thresholds.format(12.345, "%") + " "
                + CheckResult.of(Status.DOWN, "x")
                        .withData(java.util.Map.of("k", 1.5))
                        .withData("j", 2));
        List<byte[]> live = new ArrayList<>();
        long max = Runtime.getRuntime().maxMemory();
        while (used() < max * 0.88) {
            live.add(new byte[64 * 1024]);
        }
        byte[][] ring = new byte[256][];
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Status last = null;
        long i = 0;
        while (System.nanoTime() < deadline) {
            ring[(int) (i++ % ring.length)] = new byte[16 * 1024];
            System.gc(); // full collections back to back: how a heap too small for its live data ends
            if (i % 16 == 0) {
                CheckResult r = check.check();
                if (r.status() != last) {
                    System.out.println("STATUS " + r.status() + " " + r.data().get("gcPercent") + " | " + r.message());
                    last = r.status();
                }
                if (r.status() == Status.DOWN) {
                    System.out.println("DONE " + live.size());
                    return;
                }
            }
        }
        System.out.println("NOT THRASHING " + live.size());
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
