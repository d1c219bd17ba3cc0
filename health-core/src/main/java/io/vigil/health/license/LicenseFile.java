package io.vigil.health.license;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The license file format, shared by the verifier ({@link SignedLicenseFile}) and the issuing tool (the
 * {@code health-license-tool} module), so that what is signed and what is verified cannot drift apart.
 */
public final class LicenseFile {
    static final int MAX_BYTES = 64 * 1024;
    static final List<String> FIELDS = List.of("licensee", "expires", "features");

    private LicenseFile() {}

    /** @return the fields in file order, or throws IllegalArgumentException with a safe message */
    static Map<String, String> parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        // a UTF-8 byte order mark (Windows editors save one) is not part of the first line
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (String raw : body.split("\r?\n", -1)) { // blank lines are skipped below
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed line in license file");
            }
            String key = line.substring(0, eq).strip();
            if (!FIELDS.contains(key) && !key.equals("signature")) {
                throw new IllegalArgumentException("unknown field '" + key + "' in license file");
            }
            if (fields.put(key, line.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("duplicate field '" + key + "' in license file");
            }
        }
        for (String required : List.of("licensee", "expires", "signature")) {
            if (!fields.containsKey(required) || fields.get(required).isEmpty()) {
                throw new IllegalArgumentException("license file lacks '" + required + "'");
            }
        }
        return fields;
    }

    /**
     * @param fields the fields of a license file (a {@code signature} field is left out)
     * @return the bytes that are signed: every field but the signature, sorted by name, as {@code k=v\n} in UTF-8
     */
    public static byte[] payload(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(fields).forEach((k, v) -> {
            if (!k.equals("signature")) {
                sb.append(k).append('=').append(v).append('\n');
            }
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * @param value the {@code expires} field: an ISO-8601 date (valid through that day, UTC) or instant
     * @return the first instant at which the license is expired
     * @throws IllegalArgumentException if the value is missing or neither
     */
    public static Instant parseExpiry(@Nullable String value) {
        if (value == null) {
            throw new IllegalArgumentException("license file lacks 'expires'");
        }
        try {
            return value.length() == 10
                    ? java.time.LocalDate.parse(value)
                            .plusDays(1)
                            .atStartOfDay(java.time.ZoneOffset.UTC)
                            .toInstant()
                    : Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("'expires' is not an ISO-8601 date or instant");
        }
    }
}
