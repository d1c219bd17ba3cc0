package io.vigil.health.signals;

import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Warn and fail limits on one number, above and below; {@code NaN} means "not set". Immutable; every builder of
 * this package holds one and validates it in {@code build()}, so that the four limits mean the same everywhere:
 * a value strictly above {@code failAbove} (or strictly below {@code failBelow}) is DOWN, else strictly above
 * {@code warnAbove} (or below {@code warnBelow}) is DEGRADED, else UP.
 */
record Thresholds(double warnAbove, double failAbove, double warnBelow, double failBelow) {

    static final Thresholds NONE = new Thresholds(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    Thresholds {
        for (double v : new double[] {warnAbove, failAbove, warnBelow, failBelow}) {
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException("a threshold must be finite (NaN: not set)");
            }
        }
    }

    Thresholds withWarnAbove(double v) {
        return new Thresholds(v, failAbove, warnBelow, failBelow);
    }

    Thresholds withFailAbove(double v) {
        return new Thresholds(warnAbove, v, warnBelow, failBelow);
    }

    Thresholds withWarnBelow(double v) {
        return new Thresholds(warnAbove, failAbove, v, failBelow);
    }

    Thresholds withFailBelow(double v) {
        return new Thresholds(warnAbove, failAbove, warnBelow, v);
    }

    /**
     * @return this, after checking that the limits are ordered
     * @throws IllegalArgumentException if {@code warnAbove > failAbove} or {@code warnBelow < failBelow}
     */
    Thresholds validated() {
        if (set(warnAbove) && set(failAbove) && warnAbove > failAbove) {
            throw new IllegalArgumentException("warnAbove " + warnAbove + " exceeds failAbove " + failAbove);
        }
        if (set(warnBelow) && set(failBelow) && warnBelow < failBelow) {
            throw new IllegalArgumentException("warnBelow " + warnBelow + " is below failBelow " + failBelow);
        }
        return this;
    }

    boolean any() {
        return set(warnAbove) || set(failAbove) || set(warnBelow) || set(failBelow);
    }

    /** @return the status of {@code value}: DOWN past a fail limit, DEGRADED past a warn limit, else UP */
    Status judge(double value) {
        if ((set(failAbove) && value > failAbove) || (set(failBelow) && value < failBelow)) {
            return Status.DOWN;
        }
        if ((set(warnAbove) && value > warnAbove) || (set(warnBelow) && value < warnBelow)) {
            return Status.DEGRADED;
        }
        return Status.UP;
    }

    /**
     * A result for {@code value}: the status, a sentence naming what crossed which limit, and the data
     * {@code value}, {@code unit} (when given) and the limits that are set.
     *
     * @param what  what the value is, e.g. "heap after GC"
     * @param value the value
     * @param unit  the unit shown after numbers, e.g. "%" or "messages"; empty for none
     */
    CheckResult result(String what, double value, String unit) {
        Status status = judge(value);
        return CheckResult.of(status, sentence(status, what, value, unit)).withData(data(value, unit));
    }

    /** @return "what value unit", followed by the limit it crossed when {@code status} is not UP */
    String sentence(Status status, String what, double value, String unit) {
        String shown = what + " " + format(round(value), unit);
        return switch (status) {
            case DOWN ->
                shown
                        + (set(failAbove) && value > failAbove
                                ? " is above the fail limit " + format(failAbove, unit)
                                : " is below the fail limit " + format(failBelow, unit));
            case DEGRADED ->
                shown
                        + (set(warnAbove) && value > warnAbove
                                ? " is above the warn limit " + format(warnAbove, unit)
                                : " is below the warn limit " + format(warnBelow, unit));
            case UP -> shown;
        };
    }

    Map<String, Object> data(double value, String unit) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("value", round(value));
        if (!unit.isEmpty()) {
            data.put("unit", unit);
        }
        limits(data, "");
        return data;
    }

    /** Adds the limits that are set, their keys prefixed. */
    void limits(Map<String, Object> data, String prefix) {
        limits(data, prefix, false);
    }

    /** Adds the limits that are set, their keys prefixed; as whole numbers (bytes) when {@code whole}. */
    void limits(Map<String, Object> data, String prefix, boolean whole) {
        put(data, prefix, "warnAbove", warnAbove, whole);
        put(data, prefix, "failAbove", failAbove, whole);
        put(data, prefix, "warnBelow", warnBelow, whole);
        put(data, prefix, "failBelow", failBelow, whole);
    }

    private static void put(Map<String, Object> data, String prefix, String key, double v, boolean whole) {
        if (set(v)) {
            data.put(
                    prefix.isEmpty() ? key : prefix + Character.toUpperCase(key.charAt(0)) + key.substring(1),
                    whole ? (Object) (long) v : (Object) v);
        }
    }

    static boolean set(double v) {
        return !Double.isNaN(v);
    }

    /** @return the value rounded to 4 significant decimals, for data and messages that humans read */
    static double round(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) >= 1e15) {
            return v;
        }
        return Math.round(v * 10_000d) / 10_000d;
    }

    static String format(double v, String unit) {
        String n = v == Math.rint(v) && Math.abs(v) < 1e15
                ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%.4g", v)
                        .replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
                        .replaceAll("\\.(e|$)", "$1");
        return unit.isEmpty() ? n : unit.equals("%") ? n + " %" : n + " " + unit;
    }
}
