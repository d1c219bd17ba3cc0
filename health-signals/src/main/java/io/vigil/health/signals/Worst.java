package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The worst of several judged numbers (heap and pools, several disks, memory and CPU): its status and sentence. */
final class Worst {
    private Status status = Status.UP;
    private @Nullable String message;
    private double severity = Double.NEGATIVE_INFINITY;

    /**
     * @param s        a status
     * @param sentence why
     * @param severity ties between equal statuses go to the larger severity (a higher percentage)
     */
    void offer(Status s, String sentence, double severity) {
        if (rank(s) > rank(status) || (rank(s) == rank(status) && severity > this.severity)) {
            status = s;
            message = sentence;
            this.severity = severity;
        }
    }

    /** @return the worst status with its sentence (the first offered sentence when all are UP) */
    CheckResult result(Map<String, Object> data) {
        return CheckResult.of(status, message == null ? "" : message).withData(data);
    }

    private static int rank(Status s) {
        return switch (s) {
            case UP -> 0;
            case DEGRADED -> 1;
            case DOWN -> 2;
        };
    }
}
