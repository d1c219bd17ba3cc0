package io.vigil.health.jaxrs;

import jakarta.ws.rs.HttpMethod;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The HTTP {@code TRACE} method, which Jakarta REST has no designator for; answered 405 by the handler. */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@HttpMethod("TRACE")
@Documented
@interface TRACE {}
