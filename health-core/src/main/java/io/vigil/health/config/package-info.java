/**
 * The one settings specification ({@link io.vigil.health.config.HealthSettings}): every endpoint and check-default
 * setting's key, type, default, parsing and validation, applied to the builders. Each entry point (servlet init and
 * context parameters, MicroProfile Config, Spring Boot properties) only supplies a lookup.
 */
package io.vigil.health.config;
