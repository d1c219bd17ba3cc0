package io.vigil.health.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings tables of a Markdown file: a table right after a line that is only the comment
 * {@code <!-- settings: ID[, ID] -->} (blank lines between are allowed). The first column names the settings:
 * every code span in it is one name, cut at its first {@code (}; a name holding {@code <} is a placeholder. The
 * column headed {@code default} holds the default.
 */
final class SettingsTables {
    private static final Pattern MARKER = Pattern.compile("<!--\\s*settings:\\s*(.*?)\\s*-->");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    private SettingsTables() {}

    /** One row: its names, its default cell (or {@code ""}) and where it is. */
    record Row(List<String> names, String defaultCell, String where) {}

    /** One marked table. */
    record Table(List<String> ids, List<Row> rows, String where) {
        Set<String> names() {
            Set<String> names = new LinkedHashSet<>();
            rows.forEach(r -> names.addAll(r.names()));
            return names;
        }
    }

    static List<Table> read(Path file) {
        List<String> lines = Markdown.lines(file);
        String name = Markdown.ROOT.relativize(file).toString().replace('\\', '/');
        List<Table> tables = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i).strip());
            if (!m.matches()) {
                continue;
            }
            List<String> ids = List.of(m.group(1).split("\\s*,\\s*"));
            int at = i + 1;
            while (at < lines.size() && lines.get(at).isBlank()) {
                at++;
            }
            if (at >= lines.size() || !lines.get(at).strip().startsWith("|")) {
                throw new IllegalStateException(name + ":" + (i + 1) + ": a settings marker must precede a table");
            }
            List<String> header = cells(lines.get(at));
            int defaultColumn = header.indexOf("default");
            List<Row> rows = new ArrayList<>();
            for (int r = at + 2; r < lines.size() && lines.get(r).strip().startsWith("|"); r++) {
                List<String> cells = cells(lines.get(r));
                List<String> names = new ArrayList<>();
                Matcher code = CODE.matcher(cells.get(0));
                while (code.find()) {
                    String span = code.group(1);
                    int paren = span.indexOf('(');
                    String setting = (paren >= 0 ? span.substring(0, paren) : span).strip();
                    if (!setting.contains("<")) {
                        names.add(setting);
                    }
                }
                String def = defaultColumn >= 0 && defaultColumn < cells.size() ? cells.get(defaultColumn) : "";
                rows.add(new Row(List.copyOf(names), def, name + ":" + (r + 1)));
            }
            tables.add(new Table(ids, List.copyOf(rows), name + ":" + (at + 1)));
            i = at;
        }
        return tables;
    }

    /** Splits a table line into cells, keeping {@code \|} inside a cell. */
    private static List<String> cells(String line) {
        String s = line.strip();
        s = s.substring(1, s.endsWith("|") ? s.length() - 1 : s.length());
        List<String> cells = new ArrayList<>();
        for (String c : s.split("(?<!\\\\)\\|", -1)) {
            cells.add(c.strip());
        }
        return cells;
    }
}
