package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/ resolves: the file or directory exists in the repository, and an
 * anchor ({@code page.md#section}, {@code #section}) names a heading of that page as GitHub derives it.
 */
class LinksTest {
    /** An inline link or image: {@code [text](target)} or {@code [text](target "title")}. */
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    private static final Pattern CODE_SPAN = Pattern.compile("`+[^`]*`+");
    private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

    /** A link found on a page. */
    record Link(String file, int line, String target) {
        String where() {
            return file + ":" + line + ": " + target;
        }
    }

    /** @return the links of a page outside fenced blocks and code spans */
    static List<Link> links(Path page) {
        List<Link> links = new ArrayList<>();
        String name = Markdown.ROOT.relativize(page).toString().replace('\\', '/');
        boolean fenced = false;
        List<String> lines = Markdown.lines(page);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher m = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (m.find()) {
                links.add(new Link(name, i + 1, m.group(1)));
            }
        }
        return links;
    }

    /** @return the anchors GitHub gives the headings of a page (lower case, punctuation dropped, -1 for repeats) */
    static Set<String> anchors(Path page) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : Markdown.lines(page)) {
            if (line.strip().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (fenced || !m.matches()) {
                continue;
            }
            String slug = m.group(1)
                    .replaceAll("\\[([^\\]]*)]\\([^)]*\\)", "$1")
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^\\p{L}\\p{N} _-]", "")
                    .replace(' ', '-');
            int n = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.add(n == 0 ? slug : slug + "-" + n);
        }
        return anchors;
    }

    /** @return what is wrong with a link, or {@code null} */
    static String problem(Path page, Link link) {
        String target = link.target();
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // https:, mailto: ...: not ours to resolve
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
        if (!resolved.startsWith(Markdown.ROOT)) {
            return link.where() + ": leaves the repository";
        }
        if (!Files.exists(resolved)) {
            return link.where() + ": no such file or directory " + Markdown.ROOT.relativize(resolved);
        }
        if (anchor != null
                && resolved.toString().endsWith(".md")
                && !anchors(resolved).contains(anchor)) {
            return link.where() + ": no heading with the anchor #" + anchor + " in "
                    + Markdown.ROOT.relativize(resolved);
        }
        return null;
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path page : Markdown.files()) {
            for (Link link : links(page)) {
                String p = problem(page, link);
                if (p != null) {
                    problems.add(p);
                }
                checked++;
            }
        }
        assertThat(checked).as("links checked").isGreaterThan(50);
        assertThat(problems).isEmpty();
    }

    @Test
    void aWrongDirectoryAndAMissingAnchorAreFound() {
        Path example = Markdown.ROOT.resolve("docs/example.md");
        assertThat(problem(example, new Link("docs/example.md", 1, "docs/kubernetes.md")))
                .contains("no such file");
        assertThat(problem(example, new Link("docs/example.md", 1, "kubernetes.md")))
                .isNull();
        assertThat(problem(example, new Link("docs/example.md", 1, "../README.md#quickstart")))
                .isNull();
        assertThat(problem(example, new Link("docs/example.md", 1, "../README.md#no-such-section")))
                .contains("no heading");
        assertThat(anchors(Markdown.ROOT.resolve("docs/spring-boot.md")))
                .contains("probes-from-the-first-second-vigilhealthport");
    }
}
