/**
 * A check of an SMTP relay on the JDK alone: {@link io.vigil.health.mail.SmtpCheck} connects, reads the greeting,
 * says {@code EHLO}, upgrades with {@code STARTTLS} (or speaks implicit TLS), judges the server certificate,
 * optionally proves the credentials with {@code AUTH}, and ends with {@code NOOP} and {@code QUIT}. It never sends
 * mail, and never puts a user name or password into a message, a data entry or a log line.
 */
@NullMarked
package io.vigil.health.mail;

import org.jspecify.annotations.NullMarked;
