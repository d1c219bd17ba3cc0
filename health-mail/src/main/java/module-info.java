/** SMTP checks on the JDK alone ({@code SmtpCheck}): EHLO, STARTTLS, optional AUTH, NOOP; never sends mail. */
module io.vigil.health.mail {
    requires transitive io.vigil.health;

    exports io.vigil.health.mail;
}
