package io.vigil.health.internal.util;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks shared by core and Vigil's own modules, so that a bad setting fails the same way everywhere: a
 * {@link NullPointerException} or an {@link IllegalArgumentException} naming the parameter. Not API (an argument
 * check is no extension point): the module descriptor exports this package only to Vigil's own modules.
 */
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
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    /**
     * @param value the duration
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static Duration notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
        return value;
    }

    /**
     * @param value the text
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws NullPointerException     if {@code value} is null
     * @throws IllegalArgumentException if {@code value} is empty or only white space
     */
    public static String notBlank(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /**
     * @param value the number
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is zero or negative
     */
    public static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }

    /**
     * @param value the number
     * @param min   the smallest accepted value
     * @param name  the parameter's name, for the message
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is below {@code min}
     */
    public static int atLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min);
        }
        return value;
    }
}
