package io.vigil.health.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Maven snippets of README.md and docs/: every Vigil artifact they name exists and is in the BOM, a snippet
 * without a version comes after the BOM import on the same page, and every version they print is the one the build
 * uses (the project's, or the root pom's for a third-party artifact it manages).
 */
class DependencySnippetsTest {
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
    private static final Pattern PROPERTY = Pattern.compile("<([\\w.-]+)>([^<$]+)</\\1>");

    @Test
    void everyMavenSnippetNamesARealArtifactAndTheVersionTheBuildUses() {
        String rootPom = String.join("\n", Markdown.lines(Markdown.ROOT.resolve("pom.xml")));
        String version = tag(rootPom, "version"); // the root pom has no parent: its first version is the project's
        Map<String, String> properties = new HashMap<>();
        Matcher p =
                PROPERTY.matcher(rootPom.substring(rootPom.indexOf("<properties>"), rootPom.indexOf("</properties>")));
        while (p.find()) {
            properties.put(p.group(1), p.group(2).strip());
        }
        Map<String, String> managed = new HashMap<>();
        Matcher d = DEPENDENCY.matcher(rootPom.substring(rootPom.indexOf("<dependencyManagement>")));
        while (d.find()) {
            String v = tag(d.group(1), "version");
            if (v != null && v.startsWith("${") && properties.containsKey(v.substring(2, v.length() - 1))) {
                managed.put(
                        tag(d.group(1), "groupId") + ":" + tag(d.group(1), "artifactId"),
                        properties.get(v.substring(2, v.length() - 1)));
            }
        }
        Set<String> inBom = new TreeSet<>();
        Matcher b = DEPENDENCY.matcher(String.join("\n", Markdown.lines(Markdown.ROOT.resolve("health-bom/pom.xml"))));
        while (b.find()) {
            inBom.add(tag(b.group(1), "artifactId"));
        }

        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path file : Markdown.files()) {
            boolean bomImported = false;
            for (Markdown.Block block : Markdown.blocks(file)) {
                if (!block.language().equals("xml")) {
                    continue;
                }
                Matcher dep = DEPENDENCY.matcher(String.join("\n", block.text()));
                while (dep.find()) {
                    checked++;
                    String group = tag(dep.group(1), "groupId");
                    String artifact = tag(dep.group(1), "artifactId");
                    String v = tag(dep.group(1), "version");
                    if ("io.vigil".equals(group)) {
                        if (artifact.equals("health-bom")) {
                            bomImported = "import".equals(tag(dep.group(1), "scope"));
                        } else if (!inBom.contains(artifact)) {
                            problems.add(block.where() + ": io.vigil:" + artifact + " is not in health-bom");
                        }
                        if (v == null && !bomImported) {
                            problems.add(block.where() + ": io.vigil:" + artifact + " has no version and the page"
                                    + " imports no health-bom before it");
                        }
                        if (v != null && !v.equals(version)) {
                            problems.add(
                                    block.where() + ": io.vigil:" + artifact + " " + v + ", the build is " + version);
                        }
                    } else if (v != null
                            && managed.containsKey(group + ":" + artifact)
                            && !managed.get(group + ":" + artifact).equals(v)) {
                        problems.add(block.where() + ": " + group + ":" + artifact + " " + v + ", the build uses "
                                + managed.get(group + ":" + artifact));
                    }
                }
            }
        }
        assertThat(checked).as("dependency snippets found").isGreaterThan(5);
        assertThat(problems).as("Maven snippets against the build").isEmpty();
    }

    @Test
    void theBomManagesMicrometerAtTheVersionTheBuildUses() {
        String rootPom = String.join("\n", Markdown.lines(Markdown.ROOT.resolve("pom.xml")));
        String bom = String.join("\n", Markdown.lines(Markdown.ROOT.resolve("health-bom/pom.xml")));
        String built = tag(rootPom, "micrometer.version");
        assertThat(built).as("the root pom's micrometer.version").isNotNull();
        assertThat(tag(bom, "micrometer.version"))
                .as("health-bom's micrometer.version")
                .isEqualTo(built);
        Matcher b = DEPENDENCY.matcher(bom);
        Set<String> micrometer = new TreeSet<>();
        while (b.find()) {
            if ("io.micrometer".equals(tag(b.group(1), "groupId"))) {
                assertThat(tag(b.group(1), "version")).isEqualTo("${micrometer.version}");
                micrometer.add(tag(b.group(1), "artifactId"));
            }
        }
        assertThat(micrometer).containsExactly("micrometer-core", "micrometer-registry-prometheus");
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        return m.find() ? m.group(1).strip() : null;
    }
}
