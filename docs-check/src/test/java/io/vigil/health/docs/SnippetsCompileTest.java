package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of README.md and docs/*.md against the modules, so that a snippet that stops
 * compiling fails the build.
 *
 * <p>A block is either statements (compiled as the body of a method that may throw anything) or, when it starts with
 * a declaration ({@code class}, {@code record}, an annotation, a modifier, a method), members of a class. Every
 * public package of the modules and a few {@code java.*} packages are imported; third-party imports and whatever
 * else the block assumes go into a hidden preamble written as an HTML comment on the line right before the fence:
 * {@code <!-- preamble: import javax.sql.DataSource; DataSource ds; void migrate() {} -->} (imports are hoisted, the
 * rest becomes members of the class around the block).
 */
class SnippetsCompileTest {
    private static final List<String> JDK_IMPORTS = List.of(
            "java.io",
            "java.net",
            "java.nio.file",
            "java.sql",
            "java.time",
            "java.util",
            "java.util.concurrent",
            "java.util.function",
            "javax.sql");
    private static final Pattern IMPORT = Pattern.compile("import\\s+(static\\s+)?[\\w.]+(\\.\\*)?\\s*;");
    private static final Pattern MEMBERS =
            Pattern.compile("^(@|public |protected |private |static |final |abstract |class |record |interface |enum "
                    + "|[\\w<>\\[\\], ?]+\\s+\\w+\\s*\\([^;]*\\)\\s*(throws [\\w., ]+)?\\{).*");

    private static final Set<String> PROJECT_PACKAGES = ProjectClasses.publicPackages();

    @TempDir
    Path out;

    /** One block as a compilation unit; {@code firstSnippetLine} maps unit lines back to the Markdown file. */
    private record Unit(Markdown.Block block, String className, String source, int firstSnippetLine) {
        String where(long unitLine) {
            long k = unitLine - firstSnippetLine;
            if (k >= 0 && k < block.text().size()) {
                return block.file() + ":" + (block.line() + k);
            }
            return block.file() + ":" + (block.preambleLine() > 0 ? block.preambleLine() : block.line())
                    + " (preamble of the block at line " + block.line() + ")";
        }
    }

    @Test
    void everyJavaSnippetInTheDocsCompiles() throws IOException {
        List<Unit> units = new ArrayList<>();
        for (Path file : Markdown.files()) {
            for (Markdown.Block block : Markdown.blocks(file)) {
                if (block.language().toLowerCase(Locale.ROOT).equals("java")) {
                    units.add(unit(block, units.size()));
                }
            }
        }
        assertThat(units).as("java blocks found in README.md and docs/").hasSizeGreaterThan(20);

        List<String> errors = compile(units);

        assertThat(errors)
                .as("snippets that do not compile (" + units.size() + " compiled). Fix the snippet, or"
                        + " declare what it assumes in a hidden <!-- preamble: ... --> right before its fence")
                .isEmpty();
    }

    @Test
    void noSnippetRegistersTheSameNameTwice() {
        // pasted whole, such a block throws "already registered": alternatives go into blocks of their own
        Pattern named = Pattern.compile("\\b(register|addServlet)\\(\\s*\"([^\"]+)\"");
        List<String> problems = new ArrayList<>();
        for (Path file : Markdown.files()) {
            for (Markdown.Block block : Markdown.blocks(file)) {
                if (!block.language().equals("java")) {
                    continue;
                }
                Set<String> seen = new TreeSet<>();
                Matcher m = named.matcher(String.join("\n", block.text()));
                while (m.find()) {
                    if (!seen.add(m.group(1) + "(\"" + m.group(2) + "\")")) {
                        problems.add(block.where() + ": " + m.group(1) + "(\"" + m.group(2) + "\") twice");
                    }
                }
            }
        }
        assertThat(problems).as("blocks that fail when run as written").isEmpty();
    }

    private List<String> compile(List<Unit> units) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac)
                .as("a JDK compiler (run the build on a JDK, not a JRE)")
                .isNotNull();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (Unit u : units) {
            sources.add(
                    new SimpleJavaFileObject(
                            URI.create("string:///snippets/" + u.className() + ".java"), JavaFileObject.Kind.SOURCE) {
                        @Override
                        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                            return u.source();
                        }
                    });
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<String> options = List.of(
                    "-proc:none",
                    "-implicit:none",
                    "-nowarn",
                    "-encoding",
                    "UTF-8",
                    "--release",
                    "17",
                    "-d",
                    Files.createDirectories(out).toString(),
                    "-classpath",
                    System.getProperty("java.class.path"));
            javac.getTask(null, files, diagnostics, options, null, sources).call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            String where = units.stream()
                    .filter(u ->
                            d.getSource() != null && d.getSource().getName().endsWith("/" + u.className() + ".java"))
                    .findFirst()
                    .map(u -> u.where(d.getLineNumber()))
                    .orElse("?");
            errors.add(where + ": "
                    + d.getMessage(Locale.ROOT)
                            .lines()
                            .map(String::strip)
                            .filter(l -> !l.startsWith("location:"))
                            .collect(Collectors.joining(", ")));
        }
        return errors;
    }

    private static Unit unit(Markdown.Block block, int index) {
        String className = "Snippet" + index + "_" + block.file().replaceAll("[^A-Za-z0-9]", "_") + "_" + block.line();
        Set<String> imports = new TreeSet<>();
        PROJECT_PACKAGES.forEach(p -> imports.add("import " + p + ".*;"));
        JDK_IMPORTS.forEach(p -> imports.add("import " + p + ".*;"));
        Matcher imp = IMPORT.matcher(block.preamble());
        while (imp.find()) {
            imports.add(imp.group().strip());
        }
        List<String> preamble = IMPORT.matcher(block.preamble())
                .replaceAll("")
                .strip()
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
        List<String> body = new ArrayList<>(block.text());
        // a snippet may show its own imports: they are hoisted as written
        for (int i = 0; i < body.size(); i++) {
            String line = body.get(i).strip();
            if (line.startsWith("import ") || line.startsWith("package ")) {
                if (line.startsWith("import ")) {
                    imports.add(line);
                }
                body.set(i, "");
            }
        }
        String first = body.stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("//"))
                .findFirst()
                .orElse("");
        boolean members = MEMBERS.matcher(first).matches();

        List<String> unit = new ArrayList<>();
        unit.add("package snippets;");
        unit.addAll(imports);
        unit.add("@SuppressWarnings(\"all\") class " + className + " {");
        unit.addAll(preamble);
        if (!members) {
            unit.add("void snippet() throws Throwable {");
        }
        int firstSnippetLine = unit.size() + 1;
        unit.addAll(body);
        unit.add(members ? "}" : "}}");
        return new Unit(block, className, unit.stream().collect(Collectors.joining("\n", "", "\n")), firstSnippetLine);
    }
}
