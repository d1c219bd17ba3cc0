package io.vigil.health.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The public API of the modules on this module's test class path: every class under {@code io.vigil.health} except
 * internals, test support, the example, the benchmarks and this module.
 */
final class ProjectClasses {
    private static final String ROOT = "io/vigil/health/";
    private static final List<String> NOT_API = List.of(
            "io.vigil.health.internal",
            "io.vigil.health.test",
            "io.vigil.health.example",
            "io.vigil.health.bench",
            "io.vigil.health.docs",
            "io.vigil.health.tck");

    private ProjectClasses() {}

    /** @return binary names of every API class, sorted */
    static Set<String> names() {
        Set<String> names = new TreeSet<>();
        try {
            Enumeration<URL> roots = ProjectClasses.class.getClassLoader().getResources(ROOT);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if (url.getProtocol().equals("jar")) {
                    try (JarFile jar = ((JarURLConnection) url.openConnection()).getJarFile()) {
                        jar.stream()
                                .map(e -> e.getName())
                                .filter(n -> n.startsWith(ROOT))
                                .forEach(n -> add(n, names));
                    }
                } else {
                    Path dir = Path.of(url.toURI());
                    Path base = dir.getParent().getParent().getParent();
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.forEach(f -> add(base.relativize(f).toString().replace('\\', '/'), names));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static void add(String entry, Set<String> names) {
        if (!entry.endsWith(".class") || entry.endsWith("package-info.class") || entry.endsWith("module-info.class")) {
            return;
        }
        String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
        if (NOT_API.stream().noneMatch(p -> name.startsWith(p + ".")) && !name.matches(".*\\$\\d.*")) {
            names.add(name);
        }
    }

    /** @return the public API classes (public, and public enclosing classes for nested ones), sorted by name */
    static List<Class<?>> publicTypes() {
        return names().stream()
                .map(ProjectClasses::load)
                .filter(c -> {
                    for (Class<?> t = c; t != null; t = t.getEnclosingClass()) {
                        if (!Modifier.isPublic(t.getModifiers())) {
                            return false;
                        }
                    }
                    return true;
                })
                .toList();
    }

    /** @return the packages holding public API types, sorted */
    static Set<String> publicPackages() {
        Set<String> packages = new TreeSet<>();
        publicTypes().forEach(c -> packages.add(c.getPackageName()));
        return packages;
    }

    static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ProjectClasses.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
