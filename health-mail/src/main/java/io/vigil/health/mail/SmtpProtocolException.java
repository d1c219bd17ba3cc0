package io.vigil.health.mail;

import java.io.IOException;

/** The server sent something that is not SMTP; the message is already sanitized and bounded. */
final class SmtpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    SmtpProtocolException(String message) {
        super(message);
    }
}
