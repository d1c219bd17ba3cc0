package io.vigil.health.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import io.vigil.health.Secrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/** A condition on the bounded body prefix of a response. */
sealed interface BodyCondition {
    int MAX_SHOWN = 64;

    /**
     * @param body the prefix read
     * @return {@code null} when met, otherwise why not (never echoing more than a clipped, redacted value)
     */
    @Nullable
    String failure(BoundedBody body);

    /** The body contains a text (UTF-8). */
    record Contains(String text) implements BodyCondition {
        @Override
        public @Nullable String failure(BoundedBody body) {
            if (new String(body.bytes(), StandardCharsets.UTF_8).contains(text)) {
                return null;
            }
            return "body does not contain the expected text"
                    + (body.truncated() ? " in its first " + body.bytes().length + " bytes" : "");
        }
    }

    /** The JSON value at a pointer, as text, equals the expected text. */
    record JsonFieldEquals(JsonPointer pointer, String expected) implements BodyCondition {
        @Override
        public @Nullable String failure(BoundedBody body) {
            String where = "JSON field " + pointer;
            try (JsonParser p = new FilteringParserDelegate(
                    UpstreamHealth.JSON.createParser(body.bytes()),
                    new JsonPointerBasedFilter(pointer),
                    TokenFilter.Inclusion.ONLY_INCLUDE_ALL,
                    false)) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return where + " not found";
                }
                if (!t.isScalarValue()) {
                    return where + " is " + (t == JsonToken.START_ARRAY ? "an array" : "an object") + ", expected \""
                            + shown(expected) + "\"";
                }
                String actual = t == JsonToken.VALUE_NULL ? "null" : p.getText();
                return expected.equals(actual)
                        ? null
                        : where + " is \"" + shown(actual) + "\", expected \"" + shown(expected) + "\"";
            } catch (IOException e) {
                return body.truncated()
                        ? where + " not found in the first " + body.bytes().length + " bytes"
                        : "body is not valid JSON";
            }
        }

        private static String shown(String value) {
            String s = Secrets.redact(value.replaceAll("\\p{Cntrl}", " "));
            return s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "…" : s;
        }
    }
}
