package io.vigil.health.bench;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * A health library under test, found with {@link ServiceLoader}: each benchmark JVM has exactly one on its class
 * path, so libraries never share a class path and the same benchmark code measures each of them.
 */
public interface Library {

    /** @return the library's name as shown in the report, e.g. {@code Spring Boot} */
    String name();

    /** @return the library's version, read from its jar */
    String version();

    /**
     * @return the ways this library can be set up, most common first, e.g. {@code cached}, {@code uncached}
     */
    List<String> variants();

    /**
     * @param scenario {@code a}, {@code b}, {@code c} or {@code d}
     * @return the variants that scenario measures (all of {@link #variants()} unless the library says otherwise)
     */
    default List<String> variants(String scenario) {
        return variants();
    }

    /**
     * Sets the library up as an application would.
     *
     * @param variant one of {@link #variants()}
     * @param checks  the checks to register, in order
     * @param timeout the per-check timeout, where the library has one
     * @return the subject; close it
     * @throws Exception whatever the library throws while being set up
     */
    Subject open(String variant, List<NamedCheck> checks, Duration timeout) throws Exception;

    /**
     * @return the one library on the class path
     * @throws IllegalStateException if there is none or more than one
     */
    static Library load() {
        List<Library> found = ServiceLoader.load(Library.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();
        if (found.size() != 1) {
            throw new IllegalStateException("expected exactly one Library on the class path, found " + found);
        }
        return found.get(0);
    }

    /**
     * @param variant a variant name or {@code default}
     * @return the variant, with {@code default} resolved to the first
     * @throws IllegalArgumentException for an unknown variant
     */
    default String resolve(String variant) {
        if (variant == null || variant.equals("default")) {
            return variants().get(0);
        }
        if (!variants().contains(variant)) {
            throw new IllegalArgumentException(name() + " has no variant '" + variant + "'; it has " + variants());
        }
        return variant;
    }

    /**
     * Reads an artifact's version from the {@code pom.properties} Maven puts in its jars, else from the jar manifest.
     *
     * @param type       a class of the library
     * @param groupId    its group
     * @param artifactId its artifact
     * @return the version, or {@code ?} when neither says (classes not packaged as a jar)
     */
    static String versionOf(Class<?> type, String groupId, String artifactId) {
        String path = "META-INF/maven/" + groupId + "/" + artifactId + "/pom.properties";
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                Package pkg = type.getPackage();
                String v = pkg == null ? null : pkg.getImplementationVersion();
                return v == null ? "?" : v;
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }
}
