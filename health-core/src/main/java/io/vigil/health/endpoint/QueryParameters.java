package io.vigil.health.endpoint;

import io.vigil.health.HealthRegistry;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters the handler knows: {@code verbose} (plain text; no value, {@code true}, {@code 1},
 * {@code false}, {@code 0}) and {@code exclude} (repeatable, a check name). Unknown parameters, also undecodable
 * ones, are ignored; a malformed value of a known one is an error.
 *
 * @param verbose whether plain-text lines were asked for
 * @param exclude check names to leave out, in order
 * @param error   why the query is refused (for a 400), or {@code null}
 */
record QueryParameters(
        boolean verbose, Set<String> exclude, @Nullable String error) {
    static final QueryParameters NONE = new QueryParameters(false, Set.of(), null);

    private static QueryParameters refused(String why) {
        return new QueryParameters(false, Set.of(), why);
    }

    /**
     * @param raw the raw query string without {@code ?}, or {@code null}
     * @return the parameters, or a refusal with {@link #error()} set
     */
    static QueryParameters parse(@Nullable String raw) {
        if (raw == null || raw.isEmpty()) {
            return NONE;
        }
        boolean verbose = false;
        Set<String> exclude = Set.of();
        for (String part : raw.split("&", -1)) { // empty parts are skipped below
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String key = PercentDecoding.decode(eq < 0 ? part : part.substring(0, eq), true);
            String value = eq < 0 ? null : PercentDecoding.decode(part.substring(eq + 1), true);
            if (key == null) {
                continue; // an undecodable unknown parameter is ignored like any unknown one
            }
            if (key.equals("verbose")) {
                if (eq >= 0 && value == null) {
                    return refused("Malformed value of 'verbose'");
                }
                if (value == null || value.isEmpty() || value.equals("true") || value.equals("1")) {
                    verbose = true;
                } else if (value.equals("false") || value.equals("0")) {
                    verbose = false;
                } else {
                    return refused("'verbose' takes true, false, 1, 0 or no value");
                }
            } else if (key.equals("exclude")) {
                if (value == null
                        || value.isEmpty()
                        || value.length() > HealthRegistry.MAX_NAME_LENGTH
                        || value.chars().anyMatch(Character::isISOControl)) {
                    return refused(
                            "'exclude' takes a check name of 1 to " + HealthRegistry.MAX_NAME_LENGTH + " characters");
                }
                if (exclude.isEmpty()) {
                    exclude = new LinkedHashSet<>();
                }
                exclude.add(value);
            }
        }
        return new QueryParameters(verbose, exclude, null);
    }
}
