package io.vigil.health.microprofile.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Run by the build after Surefire: fails unless the TCK really ran. A Surefire that picked the wrong test
 * provider runs zero TCK tests and reports success; this check counts the tests in the Surefire XML reports and
 * fails the build when fewer than expected ran, or any failed, errored or was skipped.
 */
public final class TckReportCheck {
    private static final Pattern SUITE = Pattern.compile("<testsuite\\b[^>]*>");

    private TckReportCheck() {}

    /**
     * @param args the Surefire reports directory and the expected number of tests
     * @throws IOException when the reports cannot be read
     * @throws IllegalStateException when the TCK did not run completely and cleanly
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int expected = Integer.parseInt(args[1]);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no Surefire reports in " + dir + ": the TCK did not run");
        }
        List<Path> reports;
        try (Stream<Path> files = Files.list(dir)) {
            reports = files.filter(p -> p.getFileName().toString().startsWith("TEST-")
                            && p.getFileName().toString().endsWith(".xml"))
                    .sorted()
                    .toList();
        }
        int tests = 0;
        int failures = 0;
        int errors = 0;
        int skipped = 0;
        for (Path report : reports) {
            Matcher m = SUITE.matcher(Files.readString(report));
            if (!m.find()) {
                throw new IllegalStateException("not a Surefire report: " + report);
            }
            String suite = m.group();
            tests += attribute(suite, "tests");
            failures += attribute(suite, "failures");
            errors += attribute(suite, "errors");
            skipped += attribute(suite, "skipped");
        }
        String summary = "MicroProfile Health TCK: " + tests + " tests, " + failures + " failures, " + errors
                + " errors, " + skipped + " skipped (expected " + expected + " tests)";
        if (tests < expected || failures > 0 || errors > 0 || skipped > 0) {
            throw new IllegalStateException(summary);
        }
        System.out.println(summary);
    }

    private static int attribute(String element, String name) {
        Matcher m = Pattern.compile("\\b" + name + "=\"(\\d+)\"").matcher(element);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
