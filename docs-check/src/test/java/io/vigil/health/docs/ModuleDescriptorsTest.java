package io.vigil.health.docs;

import static java.util.stream.Collectors.toCollection;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every library module ships a module descriptor, and the descriptors are real: the built jars resolve on the module
 * path together with the dependencies they require, with no split package, and export only their API.
 *
 * <p>The expected module names and exported packages are written out below, so that a rename or a new export is a
 * visible change of this file. The library jars and their dependencies are taken from this module's test class path
 * (it depends on every library module); a dependency is found by its module name (descriptor, Automatic-Module-Name or
 * file name, as the module system derives it).
 */
class ModuleDescriptorsTest {
    /** A library module: its directory, its module name (= its published Automatic-Module-Name), its API packages. */
    private record Library(String directory, String name, Set<String> exports) {}

    private static final List<Library> LIBRARIES = List.of(
            new Library(
                    "health-core",
                    "io.vigil.health",
                    Set.of(
                            "io.vigil.health",
                            "io.vigil.health.spi",
                            "io.vigil.health.checks",
                            "io.vigil.health.license",
                            "io.vigil.health.micrometer",
                            "io.vigil.health.format",
                            "io.vigil.health.endpoint",
                            "io.vigil.health.config")),
            library("health-test", "io.vigil.health.test"),
            library("health-license-tool", "io.vigil.health.license.tool"),
            library("health-jdbc", "io.vigil.health.jdbc"),
            library("health-redis", "io.vigil.health.redis"),
            library("health-http", "io.vigil.health.http"),
            library("health-signals", "io.vigil.health.signals"),
            library("health-tck", "io.vigil.health.tck"),
            library("health-server", "io.vigil.health.server"),
            library("health-servlet", "io.vigil.health.servlet"),
            library("health-jaxrs", "io.vigil.health.jaxrs"),
            library("health-microprofile", "io.vigil.health.microprofile"),
            library("health-grpc", "io.vigil.health.grpc"),
            library("health-s3", "io.vigil.health.s3"),
            library("health-mail", "io.vigil.health.mail"),
            library("health-kafka", "io.vigil.health.kafka"),
            library("health-rabbitmq", "io.vigil.health.rabbitmq"),
            library("health-jms", "io.vigil.health.jms"),
            library("health-spring-boot", "io.vigil.health.spring"));

    /** Modules with main code that are not libraries: they stay on the class path, without a descriptor. */
    private static final Set<String> NOT_LIBRARIES = Set.of("examples", "examples/spring-boot");

    /**
     * Published as a shaded runnable jar, from which the shade plug-in drops the descriptor: an automatic module of the
     * same name, whose packages must then be exactly its API (nothing relocated into a package of another module).
     */
    private static final Set<String> SHADED = Set.of("io.vigil.health.license.tool");

    /**
     * Core's argument checks, exported only to the Vigil modules that use them; the engine package itself is exported
     * to no one.
     */
    private static final Map<String, Set<String>> QUALIFIED_EXPORTS = Map.of(
            "io.vigil.health.internal.util",
            Set.of(
                    "io.vigil.health.server",
                    "io.vigil.health.servlet",
                    "io.vigil.health.jaxrs",
                    "io.vigil.health.microprofile",
                    "io.vigil.health.jdbc",
                    "io.vigil.health.redis",
                    "io.vigil.health.http",
                    "io.vigil.health.grpc",
                    "io.vigil.health.kafka",
                    "io.vigil.health.rabbitmq",
                    "io.vigil.health.jms",
                    "io.vigil.health.s3",
                    "io.vigil.health.mail"));

    private static final Pattern MODULE_NAME = Pattern.compile("<module\\.name>([^<]+)</module\\.name>");

    private static Library library(String directory, String name) {
        return new Library(directory, name, Set.of(name));
    }

    @Test
    void everyLibraryModuleOfTheRootPomHasADescriptorAndKeepsItsAutomaticModuleName() {
        Set<String> libraries = new TreeSet<>();
        LIBRARIES.forEach(l -> libraries.add(l.directory()));
        List<String> unclassified = new ArrayList<>();
        for (String module : Modules.withMainCode()) {
            if (!libraries.contains(module) && !NOT_LIBRARIES.contains(module)) {
                unclassified.add(module);
            }
        }
        assertThat(unclassified)
                .as("modules of the root pom that are neither listed as a library here nor as a non-library")
                .isEmpty();
        assertThat(Modules.withMainCode()).containsAll(libraries);

        List<String> problems = new ArrayList<>();
        for (Library l : LIBRARIES) {
            Path dir = Markdown.ROOT.resolve(l.directory());
            if (!Files.isRegularFile(dir.resolve("src/main/java/module-info.java"))) {
                problems.add(l.directory() + " has no src/main/java/module-info.java");
            }
            Matcher m = MODULE_NAME.matcher(String.join("\n", Markdown.lines(dir.resolve("pom.xml"))));
            if (!m.find() || !m.group(1).equals(l.name())) {
                problems.add(l.directory() + "/pom.xml: module.name is not " + l.name());
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theLibraryJarsResolveOnTheModulePathWithWhatTheyRequire() throws Exception {
        resolveAndLoad(false);
    }

    @Test
    void theLibraryJarsResolveOnTheModulePathWithTheirOptionalDependenciesToo() throws Exception {
        resolveAndLoad(true);
    }

    /**
     * The starter on a module path: Spring (automatic modules) instantiates the auto-configuration, calls its
     * package-private {@code @Bean} methods and binds {@code VigilHealthProperties}, all by reflection into the named
     * module {@code io.vigil.health.spring}; without its {@code opens} this fails with InaccessibleObjectException.
     */
    @Test
    void theStarterConfiguresASpringContextOnTheModulePath() throws Exception {
        Map<String, ModuleReference> found = classPathModules();
        Set<String> roots = new LinkedHashSet<>(List.of("io.vigil.health.spring"));
        // what Spring itself loads at run time: automatic modules declare no requirements of their own
        for (String spring : List.of(
                "spring.aop",
                "spring.expression",
                "org.apache.commons.logging",
                "micrometer.observation",
                "micrometer.commons")) {
            if (found.containsKey(spring)) {
                roots.add(spring);
            }
        }
        ModuleLayer layer = layer(found, roots, false);
        Module starter = layer.findModule("io.vigil.health.spring").orElseThrow();
        Module context = layer.findModule("spring.context").orElseThrow();
        Module core = layer.findModule("spring.core").orElseThrow();

        Class<?> contextType =
                Class.forName(context, "org.springframework.context.annotation.AnnotationConfigApplicationContext");
        // every auto-configuration the starter lists, as Spring Boot would import them
        List<Class<?>> autoConfigurations = new ArrayList<>();
        try (InputStream in = starter.getResourceAsStream(
                "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
            assertThat(in).as("the starter's AutoConfiguration.imports").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    autoConfigurations.add(Class.forName(starter, line.strip()));
                }
            }
        }
        assertThat(autoConfigurations).hasSizeGreaterThanOrEqualTo(5).doesNotContainNull();
        Class<?> properties = Class.forName(starter, "io.vigil.health.spring.VigilHealthProperties");
        Class<?> registry =
                Class.forName(layer.findModule("io.vigil.health").orElseThrow(), "io.vigil.health.HealthRegistry");
        Class<?> mapSource = Class.forName(core, "org.springframework.core.env.MapPropertySource");
        Class<?> propertySource = Class.forName(core, "org.springframework.core.env.PropertySource");

        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(starter.getClassLoader());
        Object ctx = contextType.getConstructor().newInstance();
        try {
            contextType.getMethod("setClassLoader", ClassLoader.class).invoke(ctx, starter.getClassLoader());
            Object environment = contextType.getMethod("getEnvironment").invoke(ctx);
            Object sources =
                    environment.getClass().getMethod("getPropertySources").invoke(environment);
            Object source = mapSource
                    .getConstructor(String.class, Map.class)
                    .newInstance("test", Map.<String, Object>of("vigil.health.drain-delay", "7s"));
            sources.getClass().getMethod("addFirst", propertySource).invoke(sources, source);
            contextType.getMethod("register", Class[].class).invoke(ctx, (Object)
                    autoConfigurations.toArray(Class<?>[]::new));
            contextType.getMethod("refresh").invoke(ctx);

            Object bound = contextType.getMethod("getBean", Class.class).invoke(ctx, properties);
            assertThat(properties.getMethod("getDrainDelay").invoke(bound)).isEqualTo(Duration.ofSeconds(7));
            assertThat(contextType.getMethod("getBean", Class.class).invoke(ctx, registry))
                    .isNotNull()
                    .extracting(r -> r.getClass().getModule().getName())
                    .isEqualTo("io.vigil.health");
        } finally {
            contextType.getMethod("close").invoke(ctx);
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void eachLibraryExportsOnlyItsApiPackages() {
        Map<String, ModuleReference> found = classPathModules();
        List<String> problems = new ArrayList<>();
        for (Library l : LIBRARIES) {
            ModuleReference ref = found.get(l.name());
            if (ref == null) {
                problems.add(l.name() + ": no jar of that module name on the class path");
                continue;
            }
            ModuleDescriptor d = ref.descriptor();
            if (d.isAutomatic()) {
                if (!SHADED.contains(l.name())) {
                    problems.add(l.name() + " is an automatic module ("
                            + ref.location().orElseThrow() + ")");
                } else if (!d.packages().equals(l.exports())) {
                    problems.add(l.name() + " (shaded) holds " + new TreeSet<>(d.packages()) + ", expected "
                            + new TreeSet<>(l.exports()));
                }
                continue;
            }
            Set<String> unqualified = new TreeSet<>();
            for (ModuleDescriptor.Exports e : d.exports()) {
                if (!e.isQualified()) {
                    unqualified.add(e.source());
                } else if (!e.targets().equals(QUALIFIED_EXPORTS.get(e.source()))) {
                    problems.add(l.name() + " exports " + e.source() + " to " + e.targets());
                }
            }
            if (!unqualified.equals(new TreeSet<>(l.exports()))) {
                problems.add(l.name() + " exports " + unqualified + ", expected " + new TreeSet<>(l.exports()));
            }
            unqualified.stream()
                    .filter(p -> p.contains(".internal"))
                    .forEach(p -> problems.add(l.name() + " exports its internal package " + p + " to everyone"));
        }
        assertThat(problems).isEmpty();
    }

    /**
     * Resolves every library module from its built jar, with the modules it requires (and, with {@code optional}, the
     * ones it requires {@code static} where this class path has them), in one layer of one class loader whose parent
     * knows only the JDK; then loads one public class of each exported package from it.
     */
    private static void resolveAndLoad(boolean optional) throws Exception {
        Set<String> roots = new LinkedHashSet<>();
        LIBRARIES.forEach(l -> roots.add(l.name()));
        Map<String, ModuleReference> found = classPathModules();
        ModuleLayer layer = layer(found, roots, optional);

        List<String> problems = new ArrayList<>();
        for (Library l : LIBRARIES) {
            Module module = layer.findModule(l.name()).orElseThrow();
            for (String pkg : new TreeSet<>(l.exports())) {
                Optional<String> className = aPublicClass(
                        layer.configuration().findModule(l.name()).orElseThrow().reference(), pkg);
                if (className.isEmpty()) {
                    problems.add(l.name() + ": no public class in " + pkg);
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(module, className.get());
                } catch (NoClassDefFoundError e) {
                    // without the optional dependencies, a class that extends one of their types cannot load: fine
                    // when that type is in a module required `static`, a wrong descriptor otherwise
                    String missing = String.valueOf(e.getMessage()).replace('/', '.');
                    String pkgOfMissing = missing.substring(0, Math.max(0, missing.lastIndexOf('.')));
                    boolean fromOptional = !optional
                            && module.getDescriptor().requires().stream()
                                    .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC))
                                    .map(r -> found.get(r.name()))
                                    .anyMatch(r -> r != null
                                            && r.descriptor().packages().contains(pkgOfMissing));
                    if (!fromOptional) {
                        problems.add(l.name() + ": " + className.get() + " does not load: " + e);
                    }
                    continue;
                }
                if (c == null || c.getModule() != module) {
                    problems.add(l.name() + ": " + className.get() + " does not load from the module");
                } else if (!module.isExported(pkg)) {
                    problems.add(l.name() + ": " + pkg + " is not exported in the layer");
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    /**
     * @param found    the modules to take the roots and their requirements from
     * @param roots    the modules to resolve
     * @param optional whether the modules required {@code static} are resolved too, where {@code found} has them
     * @return a layer over the boot layer with the roots and every module they require, defined to one class loader
     *     whose parent is the platform class loader (so nothing leaks in from this test's class path)
     */
    private static ModuleLayer layer(Map<String, ModuleReference> found, Set<String> roots, boolean optional) {
        Set<String> closure = new LinkedHashSet<>();
        Set<String> allRoots = new LinkedHashSet<>(roots);
        List<String> missing = new ArrayList<>();
        Deque<String> work = new ArrayDeque<>(roots);
        ModuleFinder system = ModuleFinder.ofSystem();
        while (!work.isEmpty()) {
            String name = work.pop();
            if (system.find(name).isPresent() || !closure.add(name)) {
                continue;
            }
            ModuleReference ref = found.get(name);
            if (ref == null) {
                missing.add(name);
                continue;
            }
            for (ModuleDescriptor.Requires r : ref.descriptor().requires()) {
                if (!r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC)) {
                    work.push(r.name());
                } else if (optional && found.containsKey(r.name())) {
                    allRoots.add(r.name());
                    work.push(r.name());
                }
            }
        }
        assertThat(missing)
                .as("modules required by " + roots + " that no jar on the class path provides")
                .isEmpty();
        Path[] paths = closure.stream()
                .map(n -> Path.of(found.get(n).location().orElseThrow()))
                .toArray(Path[]::new);
        ModuleLayer boot = ModuleLayer.boot();
        Configuration cf = boot.configuration().resolve(ModuleFinder.of(paths), ModuleFinder.of(), allRoots);
        return boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    }

    /** @return a public top-level class of the package, read from the module's content */
    private static Optional<String> aPublicClass(ModuleReference ref, String pkg) throws IOException {
        String prefix = pkg.replace('.', '/') + "/";
        try (ModuleReader reader = ref.open();
                Stream<String> entries = reader.list()) {
            List<String> candidates = entries.filter(e -> e.startsWith(prefix)
                            && e.endsWith(".class")
                            && e.indexOf('/', prefix.length()) < 0
                            && !e.contains("$")
                            && !e.endsWith("package-info.class"))
                    .sorted()
                    .collect(toCollection(ArrayList::new));
            for (String entry : candidates) {
                Optional<InputStream> in = reader.open(entry);
                if (in.isPresent() && isPublic(in.get())) {
                    return Optional.of(entry.substring(0, entry.length() - ".class".length())
                            .replace('/', '.'));
                }
            }
        }
        return Optional.empty();
    }

    /** @return whether the class file's access flags say {@code public} (read without loading the class) */
    private static boolean isPublic(InputStream in) throws IOException {
        try (DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            data.readUnsignedShort(); // major
            int count = data.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = data.readUnsignedByte();
                switch (tag) {
                    case 1 -> data.skipBytes(data.readUnsignedShort()); // Utf8
                    case 3, 4 -> data.skipBytes(4); // Integer, Float
                    case 5, 6 -> { // Long, Double: two entries
                        data.skipBytes(8);
                        i++;
                    }
                    case 7, 8, 16, 19, 20 -> data.skipBytes(2); // Class, String, MethodType, Module, Package
                    case 9, 10, 11, 12, 17, 18 -> data.skipBytes(4); // refs, NameAndType, Dynamic, InvokeDynamic
                    case 15 -> data.skipBytes(3); // MethodHandle
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            return (data.readUnsignedShort() & 0x0001) != 0;
        }
    }

    /**
     * @return the modules on this class path by name: each jar (or directory with a module-info.class) as the module
     *     system sees it on a module path; entries it cannot read as a module are left out
     */
    private static Map<String, ModuleReference> classPathModules() {
        Map<String, ModuleReference> modules = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            boolean jar = Files.isRegularFile(path) && entry.endsWith(".jar");
            boolean exploded = Files.isDirectory(path) && Files.isRegularFile(path.resolve("module-info.class"));
            if (!jar && !exploded) {
                continue;
            }
            try {
                for (ModuleReference ref : ModuleFinder.of(path).findAll()) {
                    modules.putIfAbsent(ref.descriptor().name(), ref);
                }
            } catch (FindException e) {
                // not usable as a module (e.g. no valid name can be derived); nothing of ours requires it
            }
        }
        return modules;
    }
}
