package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * We are 0.x: a bad name is renamed, its callers migrated and the old form deleted in the same change. Should a
 * forwarder ever be kept for a release, it says so: {@code @Deprecated(since = ..., forRemoval = true)} and a
 * {@code @deprecated} Javadoc note naming the replacement, so that every caller sees a removal warning (and the build,
 * compiled with {@code -Werror}, refuses new callers). A bare {@code @Deprecated} in main code fails this test.
 */
class DeprecationPolicyTest {
    private static final Pattern DEPRECATED = Pattern.compile("@Deprecated\\b(\\([^)]*\\))?");
    // [ \t], not \s: a comment line is blanked, never joined to the line above (line numbers stay right)
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^[ \\t]*(\\*|/\\*|//).*$");

    @Test
    void mainCodeDeprecatesOnlyForRemovalAndSaysWhatReplacesIt() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Markdown.ROOT)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")
                    && p.toString().contains("/src/main/java/")
                    && !p.toString().contains("/target/"))::iterator) {
                offenders.addAll(offenders(Markdown.ROOT.relativize(f).toString(), Files.readString(f)));
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theRuleSeesABareDeprecationAndAcceptsAForwarderThatSaysWhy() {
        assertThat(offenders("A.java", "class A {\n    @Deprecated\n    void old() {}\n}\n"))
                .containsExactly("A.java:2: @Deprecated");
        assertThat(offenders("A.java", "class A {\n\n    /** old */\n    @Deprecated\n    void old() {}\n}\n"))
                .containsExactly("A.java:4: @Deprecated");
        assertThat(offenders(
                        "A.java",
                        "class A {\n    /** @deprecated use {@link #now()} */\n    @Deprecated(forRemoval"
                                + " = false)\n    void old() {}\n}\n"))
                .hasSize(1);
        assertThat(offenders(
                        "A.java",
                        "class A {\n    /**\n     * @deprecated use {@link #now()}\n     */\n"
                                + "    @Deprecated(since = \"0.2\", forRemoval = true)\n    void old() {}\n}\n"))
                .isEmpty();
        assertThat(offenders("A.java", "class A {\n    // @Deprecated in a comment\n}\n"))
                .isEmpty();
    }

    /** @return one entry per {@code @Deprecated} that is not for removal or has no {@code @deprecated} note */
    static List<String> offenders(String file, String source) {
        List<String> out = new ArrayList<>();
        String code = COMMENT_LINE.matcher(source).replaceAll("");
        Matcher m = DEPRECATED.matcher(code);
        while (m.find()) {
            boolean forRemoval =
                    m.group(1) != null && m.group(1).replace(" ", "").contains("forRemoval=true");
            // the Javadoc right above, in the source with its comments
            int line = lineOf(code, m.start());
            String[] lines = source.split("\n", -1);
            boolean note = false;
            for (int i = line - 2; i >= 0 && i >= line - 30; i--) {
                String l = lines[i].strip();
                if (l.contains("@deprecated ")) {
                    note = true;
                    break;
                }
                if (!(l.startsWith("*") || l.startsWith("/**") || l.startsWith("@"))) {
                    break; // left the declaration's Javadoc and annotations
                }
            }
            if (!forRemoval || !note) {
                out.add(file + ":" + line + ": " + m.group());
            }
        }
        return out;
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
