package io.vigil.health.test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One Prometheus text-format scrape, parsed into series (name plus labels, as printed) and values. */
public final class Scrape {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    public final String text;
    /** series (e.g. {@code health_check_status{check="db"}}) to value, in scrape order */
    public final Map<String, Double> series = new LinkedHashMap<>();

    /**
     * @param text a scrape in the Prometheus text format
     * @throws IllegalArgumentException if a line is not a sample, a comment or blank
     */
    public Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n", -1)) {
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
    public double value(String series) {
        Double v = this.series.get(series);
        if (v == null) {
            throw new AssertionError("no series " + series + " in scrape:\n" + text);
        }
        return v;
    }

    /** @return metric names of all samples */
    public Set<String> names() {
        Set<String> out = new TreeSet<>();
        series.keySet().forEach(s -> out.add(nameOf(s)));
        return out;
    }

    /** @return label names used by samples whose name starts with {@code health_} */
    public Set<String> healthLabelNames() {
        Set<String> out = new TreeSet<>();
        for (String s : series.keySet()) {
            if (s.startsWith("health_")) {
                labels(s).keySet().forEach(out::add);
            }
        }
        return out;
    }

    /** @return the metric name of a series, e.g. {@code health_check_status} */
    public static String nameOf(String series) {
        int brace = series.indexOf('{');
        return brace < 0 ? series : series.substring(0, brace);
    }

    /** @return the labels of a series, by name */
    public static Map<String, String> labels(String series) {
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
