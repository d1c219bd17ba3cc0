package io.vigil.health.mail;

/** How an {@link SmtpCheck} protects its connection. */
public enum SmtpSecurity {
    /** Plain text throughout; the only mode in which credentials would be sent without TLS. */
    NONE,
    /**
     * {@code STARTTLS} when the server offers it, plain text otherwise; credentials are only sent once TLS is up,
     * so a server that stops offering {@code STARTTLS} fails a check that authenticates.
     */
    STARTTLS_WHEN_OFFERED,
    /** {@code STARTTLS} is required: a server that does not offer it is DOWN (the usual submission port 587). */
    STARTTLS_REQUIRED,
    /** TLS from the first byte, before the greeting (SMTPS, port 465). */
    IMPLICIT_TLS
}
