package io.vigil.health.mail;

/** The SASL mechanism an {@link SmtpCheck} proves its credentials with (RFC 4954). */
public enum SmtpAuthMechanism {
    /** {@code AUTH PLAIN} with an initial response (RFC 4616). */
    PLAIN,
    /** {@code AUTH LOGIN}: user name and password in two base64 continuations (the widespread non-standard one). */
    LOGIN
}
