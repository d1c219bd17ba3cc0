/**
 * The one settings specification ({@link io.vigil.health.config.HealthSettings}): every endpoint and check-default
 * setting's key, type, default, parsing and validation, applied to the builders. Each entry point (servlet init and
 * context parameters, MicroProfile Config, Spring Boot properties) only supplies a lookup.
 * Null-marked: nothing here is {@code null} unless annotated, checked by NullAway in the build.
 */
@NullMarked
package io.vigil.health.config;

import org.jspecify.annotations.NullMarked;
