package io.vigil.health.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vigil.health.Secrets;
import io.vigil.health.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Reads an upstream's own health answer: the MicroProfile Health JSON shape ({@code status} UP/DOWN and a
 * {@code checks} array, optionally Vigil's {@code outcome} and per-check {@code degraded}) or the IETF
 * health+json draft ({@code status} pass/warn/fail and {@code checks} keyed {@code "component:measurement"}).
 * Works on a truncated prefix: whatever was read before the cut counts.
 *
 * @param status  the upstream's own verdict
 * @param culprits names of the upstream's checks that are DOWN (or DEGRADED when the verdict is DEGRADED)
 */
record UpstreamHealth(Status status, List<String> culprits) {
    static final JsonFactory JSON = JsonFactory.builder().build();
    private static final int MAX_NAMES = 5;
    private static final int MAX_NAME_LENGTH = 64;

    /**
     * @param contentType the response's Content-Type, may be null
     * @param body        the body prefix
     * @return the upstream's verdict, or {@code null} when the body is not a health answer
     */
    static @Nullable UpstreamHealth parse(@Nullable String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        boolean healthJson = type.startsWith("application/health+json");
        if ((!healthJson && !type.startsWith("application/json")) || body.length == 0) {
            return null;
        }
        Reading r = new Reading();
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("status".equals(field) && value == JsonToken.VALUE_STRING) {
                    r.status = p.getText();
                } else if ("outcome".equals(field) && value == JsonToken.VALUE_STRING) {
                    r.outcome = p.getText();
                } else if ("checks".equals(field) && value == JsonToken.START_ARRAY) {
                    r.sawChecks = true;
                    readMicroProfileChecks(p, r);
                } else if ("checks".equals(field) && value == JsonToken.START_OBJECT) {
                    r.sawChecks = true;
                    readHealthJsonChecks(p, r);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException truncatedOrMalformed) {
            // a prefix: keep what was read before the cut
        }
        return healthJson ? r.asHealthJson() : r.asMicroProfile();
    }

    private static void readMicroProfileChecks(JsonParser p, Reading r) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = null;
            String status = null;
            boolean degraded = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("name".equals(field) && value == JsonToken.VALUE_STRING) {
                    name = p.getText();
                } else if ("status".equals(field) && value == JsonToken.VALUE_STRING) {
                    status = p.getText();
                } else if ("degraded".equals(field)) {
                    degraded = value == JsonToken.VALUE_TRUE;
                } else {
                    p.skipChildren();
                }
            }
            if (name != null && "DOWN".equals(status)) {
                r.down.add(name);
            } else if (name != null && degraded) {
                r.warned.add(name);
            }
        }
    }

    private static void readHealthJsonChecks(JsonParser p, Reading r) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            int colon = key.lastIndexOf(':');
            String name = colon > 0 ? key.substring(0, colon) : key;
            if (p.nextToken() != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if ("status".equals(field) && value == JsonToken.VALUE_STRING) {
                        Status s = healthJsonStatus(p.getText());
                        if (s == Status.DOWN) {
                            addOnce(r.down, name);
                        } else if (s == Status.DEGRADED) {
                            addOnce(r.warned, name);
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
    }

    private static void addOnce(List<String> names, String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }

    private static @Nullable Status healthJsonStatus(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "pass", "ok", "up" -> Status.UP;
            case "warn" -> Status.DEGRADED;
            case "fail", "error", "down" -> Status.DOWN;
            default -> null;
        };
    }

    /** @return {@code "a, b"}: at most five names, cleaned and clipped, {@code ", +3 more"} beyond */
    String culpritList() {
        List<String> shown = new ArrayList<>();
        for (String n : culprits.subList(0, Math.min(MAX_NAMES, culprits.size()))) {
            String clean = Secrets.redact(n.replaceAll("\\p{Cntrl}", " ").strip());
            shown.add(clean.length() > MAX_NAME_LENGTH ? clean.substring(0, MAX_NAME_LENGTH) + "…" : clean);
        }
        String list = String.join(", ", shown);
        return culprits.size() > MAX_NAMES ? list + ", +" + (culprits.size() - MAX_NAMES) + " more" : list;
    }

    private static final class Reading {
        @Nullable
        String status;

        @Nullable
        String outcome;

        boolean sawChecks;
        final List<String> down = new ArrayList<>();
        final List<String> warned = new ArrayList<>();

        @Nullable
        UpstreamHealth asMicroProfile() {
            if (!sawChecks || !("UP".equals(status) || "DOWN".equals(status))) {
                return null;
            }
            if ("DOWN".equals(status)) {
                return new UpstreamHealth(Status.DOWN, List.copyOf(down));
            }
            if ("DEGRADED".equals(outcome) || !down.isEmpty() || !warned.isEmpty()) {
                List<String> culprits = new ArrayList<>(down);
                culprits.addAll(warned);
                return new UpstreamHealth(Status.DEGRADED, List.copyOf(culprits));
            }
            return new UpstreamHealth(Status.UP, List.of());
        }

        @Nullable
        UpstreamHealth asHealthJson() {
            Status s = status == null ? null : healthJsonStatus(status);
            if (s == null) {
                return null;
            }
            return new UpstreamHealth(s, List.copyOf(s == Status.DOWN ? down : warned));
        }
    }
}
