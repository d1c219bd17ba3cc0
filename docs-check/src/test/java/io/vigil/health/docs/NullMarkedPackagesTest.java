package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every main package of a library module is JSpecify {@code @NullMarked} in its {@code package-info.java}, so NullAway
 * (run on every main compilation with {@code OnlyNullMarked=true}) checks it and users read {@code @Nullable} in the
 * signatures as the only places where {@code null} goes in or comes out. A new package without the marking would
 * silently leave NullAway's view; this test fails instead.
 */
class NullMarkedPackagesTest {
    /** Modules that are not libraries: runnable examples, benchmarks, the docs' own checks, the TCK runner. */
    private static final Set<String> NOT_LIBRARIES =
            Set.of("examples", "examples/spring-boot", "benchmarks", "docs-check", "health-microprofile-tck");

    /** Library packages deliberately left unmarked, with the reason. Keep it empty. */
    private static final Map<String, String> EXCEPTIONS = Map.of();

    private static final Pattern NULL_MARKED =
            Pattern.compile("(?m)^\\s*@(org\\.jspecify\\.annotations\\.)?NullMarked\\s*$[\\s\\S]*^package\\s");

    @Test
    void everyMainPackageOfALibraryModuleIsNullMarked() throws IOException {
        List<String> libraries = Modules.withMainCode().stream()
                .filter(m -> !NOT_LIBRARIES.contains(m))
                .toList();
        assertThat(libraries).as("library modules found").contains("health-core", "health-server");
        Set<String> unmarked = new TreeSet<>();
        for (String module : libraries) {
            Path sources = Markdown.ROOT.resolve(module).resolve("src/main/java");
            for (Path dir : packagesOf(sources)) {
                String pkg = module + ": "
                        + sources.relativize(dir).toString().replace('\\', '/').replace('/', '.');
                if (EXCEPTIONS.containsKey(pkg)) {
                    continue;
                }
                Path info = dir.resolve("package-info.java");
                if (!Files.isRegularFile(info)
                        || !NULL_MARKED.matcher(Files.readString(info)).find()) {
                    unmarked.add(pkg);
                }
            }
        }
        assertThat(unmarked)
                .as("main packages without @NullMarked in package-info.java (mark them, or name them in EXCEPTIONS"
                        + " with a reason)")
                .isEmpty();
    }

    @Test
    void everyExceptionNamesAPackageThatExistsAndAReason() {
        EXCEPTIONS.forEach((pkg, reason) -> {
            String[] parts = pkg.split(": ", 2);
            assertThat(parts).as(pkg).hasSize(2);
            assertThat(Markdown.ROOT.resolve(parts[0]).resolve("src/main/java").resolve(parts[1].replace('.', '/')))
                    .as(pkg)
                    .isDirectory();
            assertThat(reason).as(pkg).isNotBlank();
        });
    }

    @Test
    void theMarkingIsRecognisedOnlyOnThePackageDeclaration() {
        assertThat(NULL_MARKED
                        .matcher(
                                "/** Docs. */\n@NullMarked\npackage a.b;\n\nimport org.jspecify.annotations.NullMarked;\n")
                        .find())
                .isTrue();
        assertThat(NULL_MARKED
                        .matcher("/** Docs. */\n@org.jspecify.annotations.NullMarked\npackage a.b;\n")
                        .find())
                .isTrue();
        assertThat(NULL_MARKED
                        .matcher("/** Not {@code @NullMarked} yet. */\npackage a.b;\n")
                        .find())
                .isFalse();
    }

    /** @return the directories under {@code sources} that hold at least one Java class (not only descriptors) */
    private static List<Path> packagesOf(Path sources) throws IOException {
        try (Stream<Path> files = Files.walk(sources)) {
            return files.filter(f -> f.toString().endsWith(".java")
                            && !f.endsWith("package-info.java")
                            && !f.endsWith("module-info.java"))
                    .map(Path::getParent)
                    .filter(d -> !d.equals(sources))
                    .distinct()
                    .sorted()
                    .toList();
        }
    }
}
