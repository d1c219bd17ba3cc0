package io.vigil.health.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The documentation files of the repository and the parts of them the doc tests read. */
final class Markdown {
    /** The repository root (the build passes it; {@code ..} of the module otherwise). */
    static final Path ROOT =
            Path.of(System.getProperty("vigil.root", "..")).toAbsolutePath().normalize();

    private static final Pattern PREAMBLE = Pattern.compile("<!--\\s*preamble:(.*?)-->", Pattern.DOTALL);

    private Markdown() {}

    /**
     * A fenced code block.
     *
     * @param file     the file, relative to the root
     * @param line     1-based line of the first line inside the fence
     * @param language the fence's info string
     * @param text     the block's lines
     * @param preamble the hidden preamble written right before the block, or {@code ""}
     * @param preambleLine 1-based line where the preamble starts, or 0
     */
    record Block(String file, int line, String language, List<String> text, String preamble, int preambleLine) {
        String where() {
            return file + ":" + line;
        }
    }

    /** @return README.md and every {@code *.md} under docs/, sorted */
    static List<Path> files() {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the fenced blocks of a file, with the preamble comment that ends on the line before each */
    static List<Block> blocks(Path file) {
        List<String> lines = lines(file);
        String name = ROOT.relativize(file).toString().replace('\\', '/');
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String open = lines.get(i).strip();
            if (!open.startsWith("```")) {
                continue;
            }
            int fence = 0;
            while (fence < open.length() && open.charAt(fence) == '`') {
                fence++;
            }
            // a fence of n backticks is closed by a line of at least n backticks (CommonMark)
            String closing = "`".repeat(fence);
            int start = i + 1;
            int end = start;
            while (end < lines.size()
                    && !(lines.get(end).strip().startsWith(closing)
                            && lines.get(end).strip().chars().allMatch(c -> c == '`'))) {
                end++;
            }
            String preamble = "";
            int preambleLine = 0;
            if (i > 0 && lines.get(i - 1).strip().endsWith("-->")) {
                int from = i - 1;
                while (from > 0 && !lines.get(from).contains("<!--")) {
                    from--;
                }
                Matcher m = PREAMBLE.matcher(String.join("\n", lines.subList(from, i)));
                if (m.find()) {
                    preamble = m.group(1);
                    preambleLine = from + 1;
                }
            }
            blocks.add(new Block(
                    name,
                    start + 1,
                    open.substring(fence).strip(),
                    List.copyOf(lines.subList(start, end)),
                    preamble,
                    preambleLine));
            i = end;
        }
        return blocks;
    }
}
