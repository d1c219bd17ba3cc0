package io.vigil.health.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Checks that a subject's answer is what its endpoint would send for healthy checks, so that no benchmark ever
 * measures a library that answers the wrong thing quickly.
 */
public final class Sanity {

    private Sanity() {}

    /**
     * @param body   a JSON body
     * @param checks the checks that were registered
     * @return the body as text
     * @throws IllegalStateException unless the body names every check and reports UP (or healthy) and never DOWN
     */
    public static String requireAllUp(byte[] body, List<NamedCheck> checks) {
        String json = new String(body, StandardCharsets.UTF_8);
        for (NamedCheck c : checks) {
            if (!json.contains('"' + c.name() + '"')) {
                throw new IllegalStateException("check " + c.name() + " missing from " + json);
            }
        }
        boolean up = json.contains("\"UP\"") || json.contains("\"healthy\":true");
        boolean down = json.contains("\"DOWN\"") || json.contains("\"healthy\":false");
        if (!up || down) {
            throw new IllegalStateException("not an all-UP answer: " + json);
        }
        return json;
    }

    /**
     * Opens every variant of a library with ten counted trivial checks and probes it once.
     *
     * @param library the library
     * @throws Exception when the library fails
     * @throws IllegalStateException unless each variant answers all-UP JSON naming every check and runs each check
     *                               exactly once for that probe
     */
    public static void requireWorkingVariants(Library library) throws Exception {
        for (String variant : library.variants()) {
            Fixtures.Counter counter = new Fixtures.Counter();
            List<NamedCheck> checks =
                    Fixtures.trivial(10).stream().map(counter::count).toList();
            try (Subject s = library.open(variant, checks, Duration.ofSeconds(1))) {
                String json = requireAllUp(s.probe(), checks);
                if (!json.startsWith("{")) {
                    throw new IllegalStateException(variant + ": not a JSON object: " + json);
                }
            }
            if (counter.runs() != checks.size()) {
                throw new IllegalStateException(variant + ": " + counter.runs() + " check runs for one probe");
            }
        }
    }
}
