/**
 * Serves the health endpoints in Jakarta Servlet 6 containers: {@link io.vigil.health.servlet.HealthServlet} (in
 * code or from {@code web.xml}) and the opt-in zero-code {@link io.vigil.health.servlet.HealthServletInitializer}.
 */
@NullMarked
package io.vigil.health.servlet;

import org.jspecify.annotations.NullMarked;
