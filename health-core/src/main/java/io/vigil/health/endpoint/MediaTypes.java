package io.vigil.health.endpoint;

import io.vigil.health.format.HealthJsonWriter;
import io.vigil.health.format.OperationOutcomeWriter;
import io.vigil.health.format.PlainTextWriter;
import io.vigil.health.format.ReportWriter;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Content negotiation on {@code Accept} (RFC 9110 §12.5.1): picks the representation with the highest quality
 * value among {@code application/json} (and {@code application/*}, {@code *}{@code /*}), {@code application/fhir+json},
 * {@code application/health+json}, {@code text/plain} ({@code text/*}) and {@code text/html} (the status page, for
 * browsers: it must be named, a wildcard never selects it); the first wins a tie. No header or a blank one gets
 * JSON. Immutable.
 */
final class MediaTypes {
    static final ReportWriter FHIR = new OperationOutcomeWriter();
    static final ReportWriter HEALTH_JSON = new HealthJsonWriter();
    static final ReportWriter TEXT = new PlainTextWriter();
    /** Longest accepted {@code Accept} header. */
    static final int MAX_ACCEPT = 1024;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * The outcome of negotiation: a writer, or an error status (400 malformed, 406 nothing available).
     *
     * @param writer the chosen writer, or {@code null}
     * @param status 0, 400 or 406
     * @param error  why, for the OperationOutcome, or {@code null}
     */
    record Choice(
            @Nullable ReportWriter writer,
            int status,
            @Nullable String error) {
        private static Choice malformed(String why) {
            return new Choice(null, 400, why);
        }
    }

    private final ReportWriter json;
    private final ReportWriter page;
    private final Choice byDefault;

    /**
     * @param json the {@code application/json} representation
     * @param page the {@code text/html} representation
     */
    MediaTypes(ReportWriter json, ReportWriter page) {
        this.json = json;
        this.page = page;
        this.byDefault = new Choice(json, 0, null);
    }

    /**
     * @param accept the {@code Accept} header, or {@code null}
     * @return the choice
     */
    Choice negotiate(@Nullable String accept) {
        if (accept == null || accept.isBlank()) {
            return byDefault;
        }
        if (accept.length() > MAX_ACCEPT) {
            return Choice.malformed("Accept header too long");
        }
        ReportWriter best = null;
        double bestQ = 0;
        for (String range : accept.split(",", -1)) { // empty ranges are skipped below
            String r = range.trim();
            if (r.isEmpty()) {
                continue;
            }
            String[] parts = r.split(";", -1);
            if (parts.length == 0) {
                return Choice.malformed("Malformed Accept header"); // only semicolons
            }
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            int slash = type.indexOf('/');
            if (slash <= 0
                    || slash == type.length() - 1
                    || !TOKEN.matcher(type.substring(0, slash)).matches()
                    || !TOKEN.matcher(type.substring(slash + 1)).matches()) {
                return Choice.malformed("Malformed Accept header");
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                int eq = param.indexOf('=');
                if (eq <= 0) {
                    return Choice.malformed("Malformed Accept header");
                }
                if (param.substring(0, eq).trim().equalsIgnoreCase("q")) {
                    try {
                        q = Double.parseDouble(param.substring(eq + 1).trim());
                    } catch (NumberFormatException e) {
                        return Choice.malformed("Malformed quality value in Accept header");
                    }
                    if (!(q >= 0 && q <= 1)) {
                        return Choice.malformed("Quality value in Accept header out of range");
                    }
                }
            }
            ReportWriter w = writerFor(type);
            if (w != null && q > bestQ) {
                best = w;
                bestQ = q;
            }
        }
        if (best == null) {
            return new Choice(
                    null,
                    406,
                    "None of the accepted media types is available; use "
                            + "application/json, application/fhir+json, application/health+json, text/plain or text/html");
        }
        return new Choice(best, 0, null);
    }

    private @Nullable ReportWriter writerFor(String type) {
        return switch (type) {
            case "application/json", "application/*", "*/*" -> json;
            case "application/fhir+json", "application/json+fhir" -> FHIR;
            case "application/health+json" -> HEALTH_JSON;
            case "text/plain", "text/*" -> TEXT;
            case "text/html" -> page;
            default -> null;
        };
    }
}
