package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every property in the generated configuration metadata, and every per-check property, has a row in the tables of
 * {@code docs/spring-boot.md} and {@code docs/configuration.md}: the documentation fails the build when it drifts.
 */
class SettingsDocumentedTest {

    static List<String> properties() throws Exception {
        List<String> names = new ArrayList<>();
        try (InputStream in =
                SettingsDocumentedTest.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata").isNotNull();
            for (JsonNode p : new ObjectMapper().readTree(in).path("properties")) {
                String name = p.path("name").asText();
                if (!name.equals("vigil.health.checks")) {
                    names.add(name);
                }
            }
        }
        for (Method m : VigilHealthProperties.Check.class.getMethods()) {
            if (m.getName().startsWith("set")) {
                String field = m.getName().substring(3);
                names.add("vigil.health.checks.<name>."
                        + field.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase());
            }
        }
        return names;
    }

    @Test
    void everyPropertyHasARowInBothDocumentationTables() throws Exception {
        List<String> names = properties();
        assertThat(names)
                .contains("vigil.health.port", "vigil.health.checks.<name>.breaker-backoff")
                .hasSizeGreaterThan(20);
        for (String doc : new String[] {"spring-boot.md", "configuration.md"}) {
            String text = Files.readString(Path.of("..", "docs", doc));
            for (String name : names) {
                assertThat(text).as(doc).contains("| `" + name + "` |");
            }
        }
    }
}
