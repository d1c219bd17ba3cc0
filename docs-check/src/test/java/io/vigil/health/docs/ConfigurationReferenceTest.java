package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthRegistry;
import io.vigil.health.LicenseState;
import io.vigil.health.LicenseValidity;
import io.vigil.health.Probe;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.example.ExampleConfig;
import io.vigil.health.http.HttpCheck;
import io.vigil.health.http.TcpCheck;
import io.vigil.health.http.TlsCertificateCheck;
import io.vigil.health.jaxrs.HealthResource;
import io.vigil.health.jdbc.DataSourceCheck;
import io.vigil.health.jdbc.QueryThresholdCheck;
import io.vigil.health.jdbc.SchemaMigration;
import io.vigil.health.micrometer.HealthMetrics;
import io.vigil.health.microprofile.MicroProfileHealth;
import io.vigil.health.microprofile.MicroProfileHealthInitializer;
import io.vigil.health.redis.RedisProbeCheck;
import io.vigil.health.server.JdkHealthServer;
import io.vigil.health.servlet.HealthServlet;
import io.vigil.health.servlet.HealthServletInitializer;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Checks the settings tables of docs/configuration.md (and the marked summary tables elsewhere) against the code.
 *
 * <p>Every public {@code Builder} of every module on the class path is found by reflection; its settings are its
 * public methods that return the builder. The other sources (init parameters, MicroProfile keys, the example's
 * environment variables, the meters) are listed in {@link #OTHER_SOURCES}. Each source needs a table in
 * docs/configuration.md after {@code <!-- settings: ID -->} naming exactly its settings; marked tables elsewhere
 * (README.md, docs/example.md) are summaries: they may name fewer, never one that does not exist. A default is
 * compared where the code shows it: a field of a fresh builder named like the setting (see {@link #FRESH} and
 * {@link #FIELD_ALIASES}), the example's printed configuration for an empty environment.
 */
class ConfigurationReferenceTest {
    private static final Path CONFIGURATION = Markdown.ROOT.resolve("docs/configuration.md");

    /** A documented source of settings: its marker id, its settings and the defaults the code shows. */
    record Source(String id, Set<String> names, Map<String, Object> defaults) {}

    /** Sources that are not builders. A new one (say, Spring Boot properties) is one more line here. */
    static final List<Supplier<Source>> OTHER_SOURCES = List.of(
            ConfigurationReferenceTest::healthSettings,
            () -> new Source("HealthServlet init parameters", new TreeSet<>(HealthServlet.PARAMETERS), Map.of()),
            () -> constants(
                    "HealthServletInitializer context parameters",
                    HealthServletInitializer.class,
                    v -> v.startsWith(HealthServletInitializer.PREFIX)
                            && v.length() > HealthServletInitializer.PREFIX.length()),
            () -> merge(
                    "MicroProfile settings",
                    constants(
                            "",
                            MicroProfileHealth.class,
                            v -> v.startsWith("mp.health.") || v.startsWith("vigil.health.")),
                    constants("", MicroProfileHealthInitializer.class, v -> v.startsWith("io.vigil.health."))),
            () -> new Source(
                    "MicroProfile HealthSettings keys",
                    HealthSettings.all().stream()
                            .map(s -> HealthSettings.PREFIX + s.key())
                            .collect(Collectors.toCollection(TreeSet::new)),
                    Map.of()),
            ConfigurationReferenceTest::exampleEnvironment,
            ConfigurationReferenceTest::meters);

    /** Fresh builders whose fields show the defaults; a builder missing here is still checked for its names. */
    static final Map<Class<?>, Supplier<Object>> FRESH = Map.ofEntries(
            Map.entry(HealthRegistry.Builder.class, HealthRegistry::builder),
            Map.entry(CheckPolicy.Builder.class, CheckPolicy::builder),
            Map.entry(HealthHandler.Builder.class, () -> HealthHandler.builder(registry())),
            Map.entry(JdkHealthServer.Builder.class, () -> JdkHealthServer.builder(handler())),
            Map.entry(HealthServlet.Builder.class, () -> HealthServlet.builder(handler())),
            Map.entry(HealthResource.Builder.class, () -> HealthResource.builder(handler())),
            Map.entry(DataSourceCheck.Builder.class, () -> DataSourceCheck.builder(new JdbcDataSource())),
            Map.entry(
                    QueryThresholdCheck.Builder.class,
                    () -> QueryThresholdCheck.builder(new JdbcDataSource(), "SELECT 1")),
            Map.entry(SchemaMigration.Builder.class, () -> SchemaMigration.builder(registry())),
            Map.entry(RedisProbeCheck.Builder.class, () -> RedisProbeCheck.builder("redis://127.0.0.1:6379")),
            Map.entry(HttpCheck.Builder.class, () -> HttpCheck.builder("http://127.0.0.1:1/")),
            Map.entry(TcpCheck.Builder.class, () -> TcpCheck.builder("127.0.0.1", 1)),
            Map.entry(TlsCertificateCheck.Builder.class, () -> TlsCertificateCheck.builder("127.0.0.1", 1)),
            Map.entry(MicroProfileHealth.Builder.class, MicroProfileHealth::builder));

    /** Builder fields whose name differs from the setting's: {@code Builder id -> setting -> field}. */
    static final Map<String, Map<String, String>> FIELD_ALIASES = Map.of(
            "HealthRegistry.Builder", Map.of("licenseCacheTtl", "licenseTtl", "notStartedProbes", "waitingForStart"),
            "CheckPolicy.Builder", Map.of("refreshEvery", "refreshPeriod"));

    /** How many defaults this test compared when it was written; it may only grow. */
    static final int MIN_DEFAULTS_COMPARED = 47;

    private static final List<HealthRegistry> REGISTRIES = new ArrayList<>();

    @Test
    void configurationMdDocumentsExactlyTheSettingsOfEveryBuilderAndSource() {
        List<Source> sources = sources();
        Map<String, List<SettingsTables.Table>> tables = byId(SettingsTables.read(CONFIGURATION));
        List<String> problems = new ArrayList<>();
        for (Source source : sources) {
            List<SettingsTables.Table> documented = tables.remove(source.id());
            if (documented == null) {
                problems.add("docs/configuration.md has no table for " + source.id() + " (settings " + source.names()
                        + "): add one after <!-- settings: " + source.id() + " -->");
                continue;
            }
            Set<String> names = new TreeSet<>();
            documented.forEach(t -> names.addAll(t.names()));
            Set<String> missing = new TreeSet<>(source.names());
            missing.removeAll(names);
            Set<String> unknown = new TreeSet<>(names);
            unknown.removeAll(source.names());
            if (!missing.isEmpty()) {
                problems.add(documented.get(0).where() + ": " + source.id() + " lacks rows for " + missing);
            }
            if (!unknown.isEmpty()) {
                problems.add(documented.get(0).where() + ": " + source.id() + " names settings that do not exist: "
                        + unknown);
            }
            documented.forEach(t -> problems.addAll(wrongDefaults(source, t)));
        }
        tables.forEach((id, t) -> problems.add(
                t.get(0).where() + ": <!-- settings: " + id + " --> names no known" + " builder or source (known: "
                        + sources.stream().map(Source::id).toList() + ")"));

        assertThat(problems)
                .as("docs/configuration.md against the code (" + sources.size() + " sources)")
                .isEmpty();
        long defaults = sources.stream()
                .flatMap(s -> s.defaults().values().stream())
                .filter(ConfigurationReferenceTest::comparable)
                .count();
        assertThat(defaults)
                .as("defaults read from the code and compared; fewer means a builder field was renamed:"
                        + " map the setting to its field in FIELD_ALIASES")
                .isGreaterThanOrEqualTo(MIN_DEFAULTS_COMPARED);
    }

    @Test
    void summaryTablesElsewhereNameOnlyRealSettingsWithTheirRealDefaults() {
        Map<String, Source> sources = sources().stream().collect(Collectors.toMap(Source::id, s -> s));
        List<SettingsTables.Table> tables = new ArrayList<>();
        Markdown.files().stream()
                .filter(f -> !f.equals(CONFIGURATION))
                .forEach(f -> tables.addAll(SettingsTables.read(f)));
        assertThat(tables).as("marked settings tables in README.md and docs/").isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (SettingsTables.Table table : tables) {
            Set<String> known = new TreeSet<>();
            Map<String, Object> defaults = new HashMap<>();
            for (String id : table.ids()) {
                Source s = sources.get(id);
                if (s == null) {
                    problems.add(table.where() + ": unknown settings id " + id);
                    continue;
                }
                known.addAll(s.names());
                defaults.putAll(s.defaults());
            }
            Set<String> unknown = new TreeSet<>(table.names());
            unknown.removeAll(known);
            if (!unknown.isEmpty()) {
                problems.add(table.where() + ": names settings that do not exist in " + table.ids() + ": " + unknown);
            }
            problems.addAll(wrongDefaults(new Source(String.join(", ", table.ids()), known, defaults), table));
        }
        assertThat(problems)
                .as(tables.size() + " summary settings tables against the code")
                .isEmpty();
    }

    @Test
    void everyParameterOfAWebXmlSnippetIsASetting() {
        Map<String, Source> sources = sources().stream().collect(Collectors.toMap(Source::id, s -> s));
        Set<String> known = new TreeSet<>(
                sources.get("HealthServletInitializer context parameters").names());
        known.addAll(sources.get("MicroProfile settings").names());
        for (String init : sources.get("HealthServlet init parameters").names()) {
            known.add(init);
            known.add(HealthServletInitializer.PREFIX + init);
        }
        Pattern param = Pattern.compile("<param-name>\\s*([^<\\s]+)\\s*</param-name>");
        List<String> problems = new ArrayList<>();
        int seen = 0;
        for (Path file : Markdown.files()) {
            for (Markdown.Block block : Markdown.blocks(file)) {
                Matcher m = param.matcher(String.join("\n", block.text()));
                while (m.find()) {
                    seen++;
                    if (!known.contains(m.group(1))) {
                        problems.add(block.where() + ": <param-name>" + m.group(1) + "</param-name> is no setting");
                    }
                }
            }
        }
        assertThat(seen).as("web.xml parameters in the docs").isPositive();
        assertThat(problems)
                .as("web.xml snippets against the servlet's parameters")
                .isEmpty();
    }

    @Test
    void aDefaultCellMayAddWordsButNotAnotherValue() {
        assertThat(shows("1 s", Duration.ofSeconds(1))).isTrue();
        assertThat(shows("800 ms", Duration.ofMillis(800))).isTrue();
        assertThat(shows("14 days", Duration.ofDays(14))).isTrue();
        assertThat(shows("`0` (on demand)", Duration.ZERO)).isTrue();
        assertThat(shows("2 s", Duration.ofMillis(800))).isFalse();
        assertThat(shows("`0.10`", 0.1)).isTrue();
        assertThat(shows("65536 bytes (≥ 1024)", 65536)).isTrue();
        assertThat(shows("`32`", 16)).isFalse();
        assertThat(shows("off", false)).isTrue();
        assertThat(shows("`true`", false)).isFalse();
        assertThat(shows("`READINESS, STARTUP`", java.util.EnumSet.of(Probe.READINESS, Probe.STARTUP)))
                .isTrue();
        assertThat(shows("`READINESS`", java.util.EnumSet.of(Probe.READINESS, Probe.STARTUP)))
                .isFalse();
        assertThat(shows("`/health`", "/health")).isTrue();
        assertThat(shows("`/`", "/health")).isFalse();
    }

    @Test
    void everyModuleOfTheBuildIsOnThisModulesClassPath() {
        // so that a new module's builders and snippets are checked too: add it to docs-check/pom.xml
        List<String> missing = new ArrayList<>();
        for (String module : Modules.withMainCode()) {
            if (!Modules.visible(module)) {
                missing.add(module);
            }
        }
        assertThat(missing)
                .as("modules with main code that docs-check/pom.xml does not depend on")
                .isEmpty();
    }

    static List<Source> sources() {
        List<Source> sources = new ArrayList<>();
        for (Class<?> type : ProjectClasses.publicTypes()) {
            if (type.getSimpleName().equals("Builder") && type.getEnclosingClass() != null) {
                sources.add(builder(type));
            }
        }
        OTHER_SOURCES.forEach(s -> sources.add(s.get()));
        REGISTRIES.forEach(HealthRegistry::close);
        REGISTRIES.clear();
        return sources;
    }

    private static Source builder(Class<?> type) {
        String id = type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
        Set<String> names = Stream.of(type.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())
                        && !Modifier.isStatic(m.getModifiers())
                        && !m.isSynthetic()
                        && m.getReturnType() == type)
                .map(Method::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        Map<String, Object> defaults = new HashMap<>();
        Supplier<Object> fresh = FRESH.get(type);
        if (fresh != null) {
            Object builder = fresh.get();
            Map<String, String> aliases = FIELD_ALIASES.getOrDefault(id, Map.of());
            for (String name : names) {
                try {
                    Field f = type.getDeclaredField(aliases.getOrDefault(name, name));
                    f.setAccessible(true);
                    Object value = f.get(builder);
                    if (value != null) {
                        defaults.put(name, value);
                    }
                } catch (NoSuchFieldException e) {
                    // no field of that name: the default is not read from the code
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new Source(id, names, defaults);
    }

    private static Source constants(String id, Class<?> type, Predicate<String> isSetting) {
        Set<String> names = new TreeSet<>();
        for (Field f : type.getFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && Modifier.isFinal(mod) && f.getType() == String.class) {
                try {
                    String value = (String) f.get(null);
                    if (isSetting.test(value)) {
                        names.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return new Source(id, names, Map.of());
    }

    private static Source merge(String id, Source... parts) {
        Set<String> names = new TreeSet<>();
        for (Source p : parts) {
            names.addAll(p.names());
        }
        return new Source(id, names, Map.of());
    }

    /** The one settings specification: its keys and their defaults as the specification states them. */
    private static Source healthSettings() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        HealthSettings.all().forEach(s -> defaults.put(s.key(), s.defaultText()));
        return new Source(
                "HealthSettings",
                HealthSettings.all().stream()
                        .map(HealthSettings.Setting::key)
                        .collect(Collectors.toCollection(TreeSet::new)),
                defaults);
    }

    /** The variables, and the defaults the service prints when none is set. */
    private static Source exampleEnvironment() {
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (String line : ExampleConfig.fromEnvironment(Map.of()).describe()) {
            int eq = line.indexOf('=');
            String value = line.substring(eq + 1);
            if (!value.startsWith("(")) { // "(not set: ...)" is prose, compared by eye
                defaults.put(line.substring(0, eq), value);
            }
        }
        return new Source("example environment", new TreeSet<>(ExampleConfig.NAMES), defaults);
    }

    /** Every meter HealthMetrics registers for a registry with a check, a lock, a license and an evaluated probe. */
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    private static Source meters() {
        Instant expires = Instant.now().plus(Duration.ofDays(365));
        HealthRegistry health = HealthRegistry.builder()
                .startedImmediately()
                .license(() -> LicenseState.of(LicenseValidity.VALID)
                        .withLicensee("docs")
                        .withExpires(expires)
                        .withMessage("valid"))
                .build();
        REGISTRIES.add(health);
        health.register(
                "db",
                () -> CheckResult.up(),
                CheckPolicy.builder()
                        .probes(Probe.READINESS, Probe.LIVENESS)
                        .circuitBreaker(3, Duration.ofSeconds(1))
                        .build());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new HealthMetrics(health).bindTo(meters);
        for (Probe p : Probe.values()) {
            health.evaluate(p);
        }
        try (var lock = health.lock("docs", "docs")) {
            health.evaluate(Probe.READINESS);
        }
        health.license();
        Set<String> names = meters.getMeters().stream()
                .map(Meter::getId)
                .map(Meter.Id::getName)
                .collect(Collectors.toCollection(TreeSet::new));
        meters.close();
        return new Source("HealthMetrics meters", names, Map.of());
    }

    private static HealthHandler handler() {
        return HealthHandler.builder(registry()).build();
    }

    private static HealthRegistry registry() {
        HealthRegistry r = HealthRegistry.builder().build();
        REGISTRIES.add(r);
        return r;
    }

    private static Map<String, List<SettingsTables.Table>> byId(List<SettingsTables.Table> tables) {
        Map<String, List<SettingsTables.Table>> byId = new LinkedHashMap<>();
        for (SettingsTables.Table t : tables) {
            for (String id : t.ids()) {
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(t);
            }
        }
        return byId;
    }

    // ---- defaults

    private static final Pattern AMOUNT = Pattern.compile("(\\d[\\d_]*(?:\\.\\d+)?)\\s*(ms|s|min|h|days?)?(?![\\w.])");

    private static List<String> wrongDefaults(Source source, SettingsTables.Table table) {
        List<String> problems = new ArrayList<>();
        for (SettingsTables.Row row : table.rows()) {
            if (row.names().isEmpty() || row.defaultCell().isEmpty()) {
                continue;
            }
            String name = row.names().get(0);
            Object actual = source.defaults().get(name);
            if (actual != null && !shows(row.defaultCell(), actual)) {
                problems.add(row.where() + ": " + source.id() + " `" + name + "` default is documented as '"
                        + row.defaultCell() + "' but the code has " + describe(actual));
            }
        }
        return problems;
    }

    /** Whether {@link #shows} can compare the value with a cell. */
    static boolean comparable(Object value) {
        return value instanceof Boolean
                || value instanceof Enum<?>
                || value instanceof Duration
                || value instanceof Number
                || value instanceof String s && !s.isEmpty()
                || value instanceof Collection<?> c
                        && !c.isEmpty()
                        && c.iterator().next() instanceof Enum<?>;
    }

    /** Whether a default cell states the value (loosely: it may say more, e.g. a unit or a remark). */
    static boolean shows(String cell, Object value) {
        String text = cell.replace("`", "");
        if (value instanceof Boolean b) {
            return words(text).contains(b.toString()) || words(text).contains(b ? "on" : "off");
        }
        if (value instanceof Enum<?> e) {
            return words(text).contains(e.name());
        }
        if (value instanceof Collection<?> c && !c.isEmpty() && c.iterator().next() instanceof Enum<?>) {
            return c.stream().allMatch(e -> words(text).contains(((Enum<?>) e).name()));
        }
        if (value instanceof Duration d) {
            if (d.isZero()) {
                return amounts(text).stream().anyMatch(Duration::isZero)
                        || words(text).contains("off");
            }
            return amounts(text).contains(d) || text.contains(d.toString());
        }
        if (value instanceof Number n) {
            Matcher m = AMOUNT.matcher(text);
            while (m.find()) {
                if (m.group(2) == null && Double.parseDouble(m.group(1).replace("_", "")) == n.doubleValue()) {
                    return true;
                }
            }
            return false;
        }
        if (value instanceof String s) {
            return s.isEmpty() || text.contains(s);
        }
        return true; // clocks, executors, lambdas, collections of text: not comparable, not checked
    }

    private static Set<String> words(String text) {
        return Set.of(text.split("[^A-Za-z0-9_-]+"));
    }

    private static List<Duration> amounts(String text) {
        List<Duration> amounts = new ArrayList<>();
        Matcher m = AMOUNT.matcher(text);
        while (m.find()) {
            double v = Double.parseDouble(m.group(1).replace("_", ""));
            String unit = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
            long millis = switch (unit) {
                case "ms" -> (long) v;
                case "s" -> (long) (v * 1000);
                case "min" -> (long) (v * 60_000);
                case "h" -> (long) (v * 3_600_000);
                case "day", "days" -> (long) (v * 86_400_000);
                default -> v == 0 ? 0 : -1;
            };
            if (millis >= 0) {
                amounts.add(Duration.ofMillis(millis));
            }
        }
        return amounts;
    }

    private static String describe(Object value) {
        return value instanceof Duration d ? d.toString() : String.valueOf(value);
    }
}
