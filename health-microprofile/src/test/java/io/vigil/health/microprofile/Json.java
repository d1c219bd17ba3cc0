package io.vigil.health.microprofile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HealthRequest;
import io.vigil.health.endpoint.HealthResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Asks a handler directly, as every transport does, and reads the JSON. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    record Answer(int status, String contentType, JsonNode body) {
        List<String> checkNames() {
            List<String> names = new ArrayList<>();
            body.get("checks").forEach(c -> names.add(c.get("name").asText()));
            return names;
        }

        JsonNode check(String name) {
            for (JsonNode c : body.get("checks")) {
                if (c.get("name").asText().equals(name)) {
                    return c;
                }
            }
            throw new AssertionError("no check " + name + " in " + body);
        }

        List<String> topLevelFields() {
            List<String> names = new ArrayList<>();
            Iterator<String> it = body.fieldNames();
            it.forEachRemaining(names::add);
            return names;
        }
    }

    static Answer get(HealthHandler handler, String path) {
        HealthResponse r = handler.handle(HealthRequest.builder("GET", path).build());
        return new Answer(r.status(), r.contentType(), parse(r.body()));
    }

    static JsonNode parse(byte[] body) {
        try {
            return MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
