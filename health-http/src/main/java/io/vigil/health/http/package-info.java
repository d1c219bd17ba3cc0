/**
 * Checks of upstream dependencies using nothing but the JDK: {@link io.vigil.health.http.HttpCheck} (an HTTP(S)
 * endpoint, including one that itself speaks Vigil's health contract), {@link io.vigil.health.http.TcpCheck}
 * (can a port be reached) and {@link io.vigil.health.http.TlsCertificateCheck} (days until a server certificate
 * expires). All report {@link io.vigil.health.CheckKind#DEPENDENCY}; none ever puts a URL query string,
 * URL credentials or a header value into a message, data entry or log line.
 */
@NullMarked
package io.vigil.health.http;

import org.jspecify.annotations.NullMarked;
