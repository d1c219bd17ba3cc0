package io.vigil.health.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The Kubernetes manifests in {@code examples/k8s}, parsed. */
final class Manifests {
    static final Path DIR = Path.of(System.getProperty("basedir", "."), "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, JsonNode> byFile = new LinkedHashMap<>();

    private Manifests() {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path p : files.sorted().toList()) {
                if (p.toString().endsWith(".yaml")) {
                    byFile.put(p.getFileName().toString(), YAML.readTree(p.toFile()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifests load() {
        return new Manifests();
    }

    /** @return file name → document */
    Map<String, JsonNode> files() {
        return byFile;
    }

    /**
     * @param kind a Kubernetes kind
     * @return the one document of that kind
     */
    JsonNode one(String kind) {
        List<JsonNode> found = byFile.values().stream()
                .filter(d -> kind.equals(d.path("kind").asText()))
                .toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + kind + " in " + DIR + ", found " + found.size());
        }
        return found.get(0);
    }

    JsonNode podSpec() {
        return one("Deployment").path("spec").path("template").path("spec");
    }

    JsonNode container() {
        return podSpec().path("containers").get(0);
    }

    /** @return the ConfigMap's data as environment variables */
    Map<String, String> configMapEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        one("ConfigMap")
                .path("data")
                .properties()
                .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /**
     * @param portName a container port name, or a number
     * @return the container port
     */
    int containerPort(String portName) {
        if (portName.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(portName);
        }
        for (JsonNode p : container().path("ports")) {
            if (portName.equals(p.path("name").asText())) {
                return p.path("containerPort").asInt();
            }
        }
        throw new IllegalStateException("no container port named " + portName);
    }

    /**
     * @param field {@code startupProbe}, {@code livenessProbe} or {@code readinessProbe}
     * @return the probe with Kubernetes' defaults filled in
     */
    Kubelet.ProbeSpec probe(String field) {
        JsonNode p = container().path(field);
        if (p.isMissingNode()) {
            throw new IllegalStateException("the container has no " + field);
        }
        JsonNode get = p.path("httpGet");
        return new Kubelet.ProbeSpec(
                field,
                get.path("path").asText(),
                containerPort(get.path("port").asText()),
                p.path("initialDelaySeconds").asInt(0),
                p.path("periodSeconds").asInt(10),
                p.path("timeoutSeconds").asInt(1),
                p.path("successThreshold").asInt(1),
                p.path("failureThreshold").asInt(3));
    }
}
