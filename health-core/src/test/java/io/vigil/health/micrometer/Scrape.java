package io.vigil.health.micrometer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Prometheus text-format scrape, parsed into series (name plus labels, as printed) and values. */
final class Scrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    final String text;
    /** series (e.g. {@code health_check_status{check="db"}}) to value, in scrape order */
    final Map<String, Double> series = new LinkedHashMap<>();

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a sample line: " + line);
            }
            series.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
        }
    }

    /**
     * @param series e.g. {@code health_check_status{check="db"}}
     * @return its value
     * @throws AssertionError if absent
     */
    double value(String series) {
        Double v = this.series.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in scrape:\n" + text);
        }
        return v;
    }

    /** @return metric names of all samples */
    Set<String> names() {
        Set<String> out = new TreeSet<>();
        series.keySet().forEach(s -> out.add(nameOf(s)));
        return out;
    }

    /** @return label names used by samples whose name starts with {@code health_} */
    Set<String> healthLabelNames() {
        Set<String> out = new TreeSet<>();
        for (String s : series.keySet()) {
            if (s.startsWith("health_")) {
                labels(s).keySet().forEach(out::add);
            }
        }
        return out;
    }

    static String nameOf(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }

    static Map<String, String> labels(String series) {
        Map<String, String> out = new LinkedHashMap<>();
        int brace = series.indexOf('{');
        if (brace >= 0) {
            Matcher m = LABEL.matcher(series.substring(brace));
            while (m.find()) {
                out.put(m.group(1), m.group(2));
            }
        }
        return out;
    }
}
