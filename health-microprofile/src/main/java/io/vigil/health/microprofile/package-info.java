/**
 * MicroProfile Health on Vigil: {@link io.vigil.health.microprofile.MicroProfileChecks} adapts MicroProfile checks,
 * {@link io.vigil.health.microprofile.VigilHealthCheckResponseProvider} builds their responses,
 * {@link io.vigil.health.microprofile.MicroProfileHealthExtension} discovers them in CDI,
 * {@link io.vigil.health.microprofile.MicroProfileHealth} applies MicroProfile semantics and
 * {@link io.vigil.health.microprofile.MicroProfileHealthServlet} serves them in MicroProfile JSON.
 */
@NullMarked
package io.vigil.health.microprofile;

import org.jspecify.annotations.NullMarked;
