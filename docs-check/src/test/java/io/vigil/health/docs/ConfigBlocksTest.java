package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.health.spring.VigilHealthProperties;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.PropertiesPropertySourceLoader;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * Every {@code properties} and {@code yaml} block of README.md and docs/ is read the way Spring Boot reads
 * {@code application.properties} and {@code application.yaml}: a properties value may not carry a trailing
 * comment (Spring makes it part of the value: {@code probes.enabled=true # ...} is not {@code true}), a
 * {@code *.enabled} value is a boolean, every {@code vigil.health.*} key exists in the starter's configuration
 * metadata (or is a per-check setting), and the block's {@code vigil.health.*} settings bind to the starter's
 * properties as pasted.
 */
class ConfigBlocksTest {
    /** Whitespace then {@code #} or {@code !}: a comment only at the start of a line in a properties file. */
    private static final Pattern TRAILING_COMMENT = Pattern.compile(".*\\s[#!].*");

    private static final String PREFIX = VigilHealthProperties.PREFIX + ".";

    /** @return the starter's property names and the per-check ones as {@code vigil.health.checks.*.<setting>} */
    static Set<String> knownKeys() throws Exception {
        Set<String> names = new HashSet<>();
        try (InputStream in =
                VigilHealthProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("the starter's generated metadata").isNotNull();
            for (JsonNode p : new ObjectMapper().readTree(in).path("properties")) {
                names.add(p.path("name").asText());
            }
        }
        for (Map.Entry<String, Class<?>> map : MAPS.entrySet()) {
            for (Method m : map.getValue().getMethods()) {
                if (m.getName().startsWith("set") && m.getParameterCount() == 1) {
                    String key = PREFIX + map.getKey() + ".*."
                            + m.getName()
                                    .substring(3)
                                    .replaceAll("([a-z])([A-Z])", "$1-$2")
                                    .toLowerCase(java.util.Locale.ROOT);
                    names.add(Map.class.isAssignableFrom(m.getParameterTypes()[0]) ? key + ".*" : key);
                }
            }
        }
        return names;
    }

    /** The starter's settings keyed by a name of the user's: {@code vigil.health.<map>.<name>.<setting>}. */
    private static final Map<String, Class<?>> MAPS = Map.of(
            "checks",
            VigilHealthProperties.Check.class,
            "meters",
            io.vigil.health.spring.VigilSignalsProperties.Meter.class);

    /** {@code vigil.health.checks.[db/primary].timeout} and {@code vigil.health.checks.db.timeout} as one key. */
    static String pattern(String key) {
        for (String map : MAPS.keySet()) {
            String prefix = PREFIX + map + ".";
            if (key.startsWith(PREFIX + map + "[")) {
                key = prefix + key.substring(prefix.length() - 1); // YAML's "[db/primary]" key, as Spring names it
            }
            if (key.startsWith(prefix)) {
                String rest = key.substring(prefix.length());
                int dot = rest.startsWith("[") ? rest.indexOf("].") + 1 : rest.indexOf('.');
                return dot <= 0 ? key : prefix + "*" + rest.substring(dot);
            }
        }
        return key;
    }

    /** Whether a key is a setting of the starter: itself, or an entry of a map-valued setting ({@code tags.x}). */
    private static boolean isKnown(Set<String> known, String key) {
        String p = pattern(key);
        int last = p.lastIndexOf('.');
        return known.contains(p)
                || known.contains(key.replaceAll("\\[\\d+]$", ""))
                || last > 0 && known.contains(p.substring(0, last) + ".*");
    }

    static Map<String, Object> load(Markdown.Block block) throws Exception {
        byte[] text = String.join("\n", block.text()).getBytes(StandardCharsets.UTF_8);
        List<PropertySource<?>> sources = block.language().equals("properties")
                ? new PropertiesPropertySourceLoader().load(block.where(), new ByteArrayResource(text))
                : new YamlPropertySourceLoader().load(block.where(), new ByteArrayResource(text));
        Map<String, Object> values = new LinkedHashMap<>();
        for (PropertySource<?> source : sources) {
            for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
                values.put(name, source.getProperty(name));
            }
        }
        return values;
    }

    static List<Markdown.Block> configBlocks() {
        List<Markdown.Block> blocks = new ArrayList<>();
        for (Path file : Markdown.files()) {
            for (Markdown.Block b : Markdown.blocks(file)) {
                if (Set.of("properties", "yaml", "yml").contains(b.language())) {
                    blocks.add(b);
                }
            }
        }
        return blocks;
    }

    /** The findings of one block, each naming the file and line. */
    static List<String> problems(Markdown.Block block, Set<String> known) throws Exception {
        List<String> problems = new ArrayList<>();
        Map<String, Object> values;
        try {
            values = load(block);
        } catch (Exception e) {
            return List.of(block.where() + ": does not parse as " + block.language() + ": " + e.getMessage());
        }
        Map<String, Object> vigil = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String key = e.getKey();
            String value = String.valueOf(e.getValue());
            String at = block.file() + ":" + (block.line() + lineOf(block, key)) + ": " + key;
            if (block.language().equals("properties")
                    && TRAILING_COMMENT.matcher(value).matches()) {
                problems.add(at + ": the value carries a trailing comment, which Spring reads as part of the value ("
                        + value + "); put the comment on a line of its own");
            }
            if (key.endsWith(".enabled") && !value.equals("true") && !value.equals("false")) {
                problems.add(at + ": not a boolean: " + value);
            }
            if (key.startsWith(PREFIX)) {
                vigil.put(key, e.getValue());
                if (!isKnown(known, key)) {
                    problems.add(at + ": no such setting of the starter");
                }
            }
        }
        if (!vigil.isEmpty()) {
            try {
                new Binder(new MapConfigurationPropertySource(vigil))
                        .bind(VigilHealthProperties.PREFIX, VigilHealthProperties.class);
            } catch (RuntimeException e) {
                Throwable cause = e;
                while (cause.getCause() != null) {
                    cause = cause.getCause();
                }
                problems.add(block.where() + ": does not bind: " + cause.getMessage());
            }
        }
        return problems;
    }

    private static int lineOf(Markdown.Block block, String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        for (int i = 0; i < block.text().size(); i++) {
            if (block.text().get(i).contains(key) || block.text().get(i).strip().startsWith(last)) {
                return i;
            }
        }
        return 0;
    }

    @Test
    void everyPropertiesAndYamlBlockBindsAsPasted() throws Exception {
        Set<String> known = knownKeys();
        List<Markdown.Block> blocks = configBlocks();
        assertThat(blocks)
                .as("properties and yaml blocks in README.md and docs/")
                .hasSizeGreaterThan(8);
        List<String> problems = new ArrayList<>();
        int vigilBlocks = 0;
        for (Markdown.Block b : blocks) {
            problems.addAll(problems(b, known));
            if (load(b).keySet().stream().anyMatch(k -> k.startsWith(PREFIX))) {
                vigilBlocks++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(vigilBlocks).as("blocks with vigil.health settings").isGreaterThanOrEqualTo(3);
    }

    @Test
    void theCheckCatchesWhatPastingWouldBreak() throws Exception {
        Set<String> known = knownKeys();
        Markdown.Block broken = new Markdown.Block(
                "x.md",
                1,
                "properties",
                List.of(
                        "vigil.health.port=9090                            # probes on their own port",
                        "vigil.health.checks.deadlocks.probes=liveness     # settings of ...",
                        "management.endpoint.health.probes.enabled=true     # automatic on Kubernetes",
                        "vigil.health.chekcs.db.timeout=2s"),
                "",
                0);
        assertThat(problems(broken, known))
                .anyMatch(p -> p.contains("vigil.health.port: the value carries"))
                .anyMatch(p -> p.contains("probes.enabled: not a boolean"))
                .anyMatch(p -> p.contains("chekcs.db.timeout: no such setting"))
                .anyMatch(p -> p.contains("does not bind"));
        Markdown.Block fine = new Markdown.Block(
                "y.md",
                1,
                "yaml",
                List.of(
                        "vigil:",
                        "  health:",
                        "    port: 9090   # a YAML comment is a comment",
                        "    checks:",
                        "      \"[db/primary]\":",
                        "        timeout: 2s"),
                "",
                0);
        assertThat(problems(fine, known)).isEmpty();
    }
}
