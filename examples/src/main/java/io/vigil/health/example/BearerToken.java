package io.vigil.health.example;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The admin bearer token. Comparison is constant-time: both sides are hashed to SHA-256 first, so neither the
 * position of the first wrong character nor the token's length shows in the response time. Immutable and
 * thread-safe; {@link #toString()} never shows the token.
 */
final class BearerToken {
    private final byte[] expectedDigest;

    private BearerToken(byte[] expectedDigest) {
        this.expectedDigest = expectedDigest;
    }

    /**
     * @param token the configured token, or {@code null}
     * @return a token that nothing matches when {@code token} is {@code null} or blank
     */
    static BearerToken of(String token) {
        return new BearerToken(token == null || token.isBlank() ? null : sha256(token));
    }

    /** @return whether a token is configured */
    boolean isConfigured() {
        return expectedDigest != null;
    }

    /**
     * @param authorization the {@code Authorization} header value, or {@code null}
     * @return whether it is {@code Bearer <the configured token>}
     */
    boolean matches(String authorization) {
        if (expectedDigest == null || authorization == null) {
            return false;
        }
        String h = authorization.strip();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(h.substring(7).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return expectedDigest == null ? "BearerToken[not set]" : "BearerToken[set]";
    }
}
