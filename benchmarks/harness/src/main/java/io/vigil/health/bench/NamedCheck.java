package io.vigil.health.bench;

import java.util.Objects;

/**
 * A check fixture with the name it is registered under.
 *
 * @param name registered name, e.g. {@code check-01}
 * @param body what the check does
 */
public record NamedCheck(String name, BenchCheck body) {
    /** Validates. */
    public NamedCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
    }
}
