package io.vigil.health.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The modules of the root pom and whether their classes are on this module's test class path. */
final class Modules {
    private static final Pattern MODULE = Pattern.compile("<module>([^<]+)</module>");

    private Modules() {}

    /** @return the root pom's modules that have main Java code */
    static List<String> withMainCode() {
        List<String> modules = new ArrayList<>();
        Matcher m = MODULE.matcher(String.join("\n", Markdown.lines(Markdown.ROOT.resolve("pom.xml"))));
        while (m.find()) {
            if (Files.isDirectory(Markdown.ROOT.resolve(m.group(1)).resolve("src/main/java"))) {
                modules.add(m.group(1));
            }
        }
        return modules;
    }

    /** @return whether one of the module's main classes can be loaded here */
    static boolean visible(String module) {
        Path sources = Markdown.ROOT.resolve(module).resolve("src/main/java");
        Optional<String> anyClass;
        try (Stream<Path> files = Files.walk(sources)) {
            anyClass = files.filter(f -> f.toString().endsWith(".java")
                            && !f.endsWith("package-info.java")
                            && !f.endsWith("module-info.java"))
                    .map(f ->
                            sources.relativize(f).toString().replace('\\', '/').replace('/', '.'))
                    .map(n -> n.substring(0, n.length() - ".java".length()))
                    .sorted()
                    .findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (anyClass.isEmpty()) {
            return true;
        }
        try {
            Class.forName(anyClass.get(), false, Modules.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
