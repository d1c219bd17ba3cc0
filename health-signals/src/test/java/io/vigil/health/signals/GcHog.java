package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM with a small heap by {@link ResourceChecksForkedTest}: fills most of the heap with live data, then
 * keeps allocating objects that live just long enough to be promoted, so that the collector runs back to back,
 * printing every status change of a {@link GcOverheadCheck} (warn above 30 %, fail above 60 % over 2 s) until it is
 * DOWN or 30 s have passed.
 */
public final class GcHog {
    private GcHog() {
    }

    public static void main(String[] args) {
        GcOverheadCheck check = GcOverheadCheck.builder().warnAbovePercent(30).failAbovePercent(60)
                .window(Duration.ofSeconds(2)).build();
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
            if (i % 2_000 == 0) {
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
