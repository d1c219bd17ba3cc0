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
 * No code of the project, main or test, hands work to the common fork-join pool: it has {@code cores - 1} workers
 * (one on a 2-core machine), and on JDK 25 two blocking tasks queue behind each other there, so a task that waits
 * for the second never returns. Every {@code supplyAsync}/{@code runAsync}/{@code *Async} stage names its executor.
 */
class NoCommonPoolTest {
    private static final Pattern ASYNC = Pattern.compile(
            "\\b(supplyAsync|runAsync|thenApplyAsync|thenAcceptAsync|thenRunAsync|thenComposeAsync|whenCompleteAsync"
                    + "|handleAsync|exceptionallyAsync|thenCombineAsync|thenAcceptBothAsync|runAfterBothAsync"
                    + "|applyToEitherAsync|acceptEitherAsync|runAfterEitherAsync)\\(");
    private static final Pattern COMMENT_LINE = Pattern.compile("(?m)^\\s*(\\*|/\\*|//).*$");
    private static final Pattern PARALLEL =
            Pattern.compile("\\.parallelStream\\(\\)|\\.parallel\\(\\)|commonPool\\(\\)");

    /** Arguments a stage takes without its executor. */
    private static int argumentsWithoutExecutor(String method) {
        return switch (method) {
            case "supplyAsync",
                    "runAsync",
                    "thenApplyAsync",
                    "thenAcceptAsync",
                    "thenRunAsync",
                    "thenComposeAsync",
                    "whenCompleteAsync",
                    "handleAsync",
                    "exceptionallyAsync" -> 1;
            default -> 2;
        };
    }

    @Test
    void noTaskRunsOnTheCommonPool() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Markdown.ROOT)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")
                    && p.toString().contains("/src/")
                    && !p.toString().contains("/target/"))::iterator) {
                if (f.endsWith("NoCommonPoolTest.java")) {
                    continue;
                }
                String code = COMMENT_LINE.matcher(Files.readString(f)).replaceAll("");
                Matcher m = ASYNC.matcher(code);
                while (m.find()) {
                    int args = arguments(code, m.end() - 1);
                    if (args >= 0 && args <= argumentsWithoutExecutor(m.group(1))) {
                        offenders.add(Markdown.ROOT.relativize(f) + ": " + m.group(1) + " without an executor");
                    }
                }
                Matcher p = PARALLEL.matcher(code);
                while (p.find()) {
                    offenders.add(Markdown.ROOT.relativize(f) + ": " + p.group());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void theScannerCountsTopLevelArgumentsOnly() {
        String code = "supplyAsync(() -> f(a, b), pool); runAsync(() -> { g(\"x,y\"); });";
        assertThat(arguments(code, code.indexOf('('))).isEqualTo(2);
        assertThat(arguments(code, code.indexOf("runAsync(") + "runAsync".length()))
                .isEqualTo(1);
    }

    /** @return the number of top-level arguments of the call whose '(' is at {@code open}, or -1 if unbalanced */
    private static int arguments(String code, int open) {
        int depth = 0;
        int commas = 0;
        char quote = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                if (--depth == 0) {
                    return commas + 1;
                }
            } else if (c == ',' && depth == 1) {
                commas++;
            }
        }
        return -1;
    }
}
