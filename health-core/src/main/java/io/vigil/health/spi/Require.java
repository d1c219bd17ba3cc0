package io.vigil.health.spi;

import java.time.Duration;

/**
 * Argument checks, formerly published here.
 *
 * @deprecated not an extension point: Vigil's modules use {@code io.vigil.health.internal.Require}; an application
 *     uses its own checks. Kept for one release, so that modules written against it still build.
 */
@Deprecated(since = "0.1", forRemoval = true)
public final class Require {
    private Require() {}

    /**
     * @param value the duration
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is zero or negative
     */
    public static Duration positive(Duration value, String name) {
        return io.vigil.health.internal.Require.positive(value, name);
    }

    /**
     * @param value the duration
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static Duration notNegative(Duration value, String name) {
        return io.vigil.health.internal.Require.notNegative(value, name);
    }

    /**
     * @param value the string
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is blank
     */
    public static String notBlank(String value, String name) {
        return io.vigil.health.internal.Require.notBlank(value, name);
    }

    /**
     * @param value the number
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is not positive
     */
    public static int positive(int value, String name) {
        return io.vigil.health.internal.Require.positive(value, name);
    }

    /**
     * @param value the number
     * @param min   the smallest allowed value
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is below {@code min}
     */
    public static int atLeast(int value, int min, String name) {
        return io.vigil.health.internal.Require.atLeast(value, min, name);
    }
}
