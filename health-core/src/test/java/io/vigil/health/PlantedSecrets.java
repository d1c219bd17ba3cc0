package io.vigil.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Plants a secret in one of the forms {@link Secrets#redact} must recognise, between arbitrary text, and asserts it
 * never comes out. Shared by the fuzz test (random text) and the unit tests (every form once).
 */
final class PlantedSecrets {
    /** Key names a secret hides behind; each also appears decorated (prefix, upper case). */
    static final List<String> KEYS = List.of(
            "password",
            "passwd",
            "pwd",
            "secret",
            "token",
            "api_key",
            "api-key",
            "apikey",
            "client_secret",
            "access_token",
            "refresh_token",
            "id_token",
            "authorization",
            "cookie",
            "set-cookie",
            "private_key",
            "session",
            "X-Api-Key",
            "db.password",
            "aws_secret_access_key",
            "X-Amz-Security-Token");

    static final int FORMS = 15;
    private static final String UNQUOTED =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%*+-./:=?@^_|~";
    private static final String QUOTED = UNQUOTED + " ;&,<>()[]{}'";
    private static final String SINGLE_QUOTED = UNQUOTED + " ;&,<>()[]{}\"";
    private static final String USERINFO =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!$%*+-.:=@^_|~;,&";
    private static final String QUERY = USERINFO + "/?";
    private static final String TOKEN68 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~+/";
    private static final String BASE64URL = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

    private PlantedSecrets() {}

    /**
     * @param form   which form, {@code 0 <= form < FORMS}
     * @param key    the key name, for the forms that have one
     * @param upper  whether the key is written in upper case
     * @param prefix text before
     * @param raw    characters the secret is made of (filtered to what the form allows)
     * @param suffix text after
     * @return the text that was redacted, for a message
     */
    static String assertRedacted(int form, String key, boolean upper, String prefix, String raw, String suffix) {
        String k = upper ? key.toUpperCase(Locale.ROOT) : key;
        String secret;
        String planted;
        String hidden; // what must not come out
        switch (form) {
            case 0 -> {
                secret = secret(raw, UNQUOTED);
                planted = k + "=" + secret;
            }
            case 1 -> {
                secret = secret(raw, UNQUOTED);
                planted = k + ": " + secret;
            }
            case 2 -> {
                secret = secret(raw, QUOTED);
                planted = k + " = \"" + secret + "\"";
            }
            case 3 -> {
                secret = secret(raw, SINGLE_QUOTED);
                planted = k + "='" + secret + "'";
            }
            case 4 -> {
                secret = secret(raw, QUOTED);
                planted = "{\"" + k + "\":\"" + secret + "\",\"error\":\"invalid_grant\"}";
            }
            case 5 -> {
                secret = secret(raw, QUOTED);
                planted = "\"" + k + "\" : \"" + secret + "\"";
            }
            case 6 -> {
                secret = secret(raw, QUOTED);
                planted = "Authorization: Basic " + base64("app:" + secret);
            }
            case 7 -> {
                secret = secret(raw, TOKEN68);
                planted = "Bearer " + secret;
            }
            case 8 -> {
                secret = secret(raw, USERINFO);
                planted = "postgres://app:" + secret + "@db.internal:5432/orders";
            }
            case 9 -> {
                secret = secret(raw, QUERY);
                planted = "https://api.example.com/v1/token?client_id=app&client_secret=" + secret + "&x=1";
            }
            case 10 -> {
                secret = secret(raw, TOKEN68);
                planted = "-----BEGIN PRIVATE KEY-----\n" + secret + "\n-----END PRIVATE KEY-----";
            }
            case 11 -> {
                secret = "eyJ" + secret(raw, BASE64URL);
                planted = "eyJhbGciOiJIUzI1NiJ9." + secret + ".c2lnbmF0dXJl";
            }
            case 12 -> {
                secret = secret(raw, UNQUOTED);
                planted = "Authorization: Digest username=\"app\", realm=\"api\", response=\"" + secret + "\"";
            }
            case 13 -> {
                secret = secret(raw, TOKEN68);
                planted = "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/s3/"
                        + "aws4_request, SignedHeaders=host;x-amz-date, Signature=" + secret;
            }
            case 14 -> {
                secret = secret(raw, UNQUOTED);
                planted = "Cookie: theme=dark; SESSION=" + secret + "; lang=en";
            }
            default -> throw new IllegalArgumentException("form " + form);
        }
        hidden = form == 6 ? base64("app:" + secret) : secret;
        if (prefix.contains(hidden) || suffix.contains(hidden)) {
            return planted; // the secret was never only in the planted form
        }
        String text = prefix + planted + suffix;
        String out = Secrets.redact(text);
        assertThat(out).as("redact(%s)", text).doesNotContain(hidden);
        if (form != 6) {
            assertThat(out).as("redact(%s)", text).doesNotContain(secret);
        }
        return text;
    }

    /** @return a distinctive secret: "Q7", the raw characters the form allows (at most 60), "z" */
    private static String secret(String raw, String alphabet) {
        StringBuilder b = new StringBuilder("Q7");
        raw.chars().filter(c -> alphabet.indexOf(c) >= 0).limit(60).forEach(c -> b.append((char) c));
        return b.append('z').toString();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
