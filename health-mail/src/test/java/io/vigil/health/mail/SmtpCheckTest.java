package io.vigil.health.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckContext;
import io.vigil.health.CheckResult;
import io.vigil.health.Status;
import io.vigil.health.test.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SMTP check against a real SMTP server, with certificates made for the test. */
class SmtpCheckTest {
    private static final Duration BUDGET = Duration.ofSeconds(5);

    private static SmtpCheck.Builder check(MailServer server, String trusted) {
        return SmtpCheck.builder("localhost", server.port())
                .trustStore(TestCertificates.shared().trusting(trusted));
    }

    private static CheckResult run(SmtpCheck check) {
        return check.check(CheckContext.within(BUDGET));
    }

    @Test
    void aPlainRelayWithoutTlsIsUp() {
        try (MailServer server = MailServer.plain()) {
            CheckResult r = run(SmtpCheck.builder("127.0.0.1", server.port())
                    .security(SmtpSecurity.NONE)
                    .build());

            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
            assertThat(r.message()).isEqualTo("SMTP server 127.0.0.1:" + server.port() + " ready");
            assertThat(r.data()).containsEntry("tls", "none").doesNotContainKey("authenticated");
        }
    }

    @ParameterizedTest
    @EnumSource(SmtpAuthMechanism.class)
    void startTlsWithATrustedCertificateAndValidCredentialsIsUp(SmtpAuthMechanism mechanism) {
        try (MailServer server = MailServer.startTls("valid")) {
            CheckResult r = run(check(server, "valid")
                    .credentials(MailServer.USER, MailServer.PASSWORD)
                    .mechanism(mechanism)
                    .build());

            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
            assertThat(r.message())
                    .startsWith("SMTP server localhost:" + server.port() + " ready, STARTTLS TLSv1.")
                    .contains("AUTH " + mechanism + " accepted")
                    .contains("certificate valid for 36");
            assertThat(r.data())
                    .containsEntry("tls", "STARTTLS")
                    .containsEntry("authenticated", true)
                    .containsEntry("subject", "CN=localhost")
                    .containsKey("notAfter");
            assertThat((long) r.data().get("daysLeft")).isBetween(363L, 365L);
            assertThat(server.logins()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(SmtpAuthMechanism.class)
    void aWrongPasswordIsDownNamingTheReplyAndTheStepButNeverTheSecret(SmtpAuthMechanism mechanism) {
        String wrong = "expired-Passw0rd-42";
        try (MailServer server = MailServer.startTls("valid")) {
            SmtpCheck check = check(server, "valid")
                    .credentials(MailServer.USER, wrong)
                    .mechanism(mechanism)
                    .build();
            CheckResult r = run(check);

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("535 Authentication credentials invalid at AUTH");
            assertThat(r.data()).containsEntry("replyCode", 535).containsEntry("step", "AUTH");
            String everything = r.message() + r.data() + check;
            assertThat(everything)
                    .doesNotContain(wrong)
                    .doesNotContain(MailServer.USER)
                    .doesNotContain(base64("\0" + MailServer.USER + "\0" + wrong))
                    .doesNotContain(base64(wrong));
        }
    }

    @Test
    void aMechanismTheServerDoesNotOfferIsDownNamingWhatItOffers() {
        try (MailServer server = MailServer.startTlsPlainOnly("valid")) {
            CheckResult r = run(check(server, "valid")
                    .credentials(MailServer.USER, MailServer.PASSWORD)
                    .mechanism(SmtpAuthMechanism.LOGIN)
                    .build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .isEqualTo("server localhost:" + server.port()
                            + " does not offer AUTH LOGIN (it offers PLAIN) at AUTH");
            assertThat(server.logins()).isZero();
        }
    }

    @Test
    void aCertificateExpiringWithinTheWarnPeriodIsDegradedWithItsDaysLeft() {
        try (MailServer server = MailServer.startTls("expiring")) {
            CheckResult r = run(check(server, "expiring").build());

            assertThat(r.status()).as(r.message()).isEqualTo(Status.DEGRADED);
            assertThat(r.message())
                    .startsWith("certificate CN=localhost expires in 6 days, at ")
                    .endsWith("; SMTP server localhost:" + server.port() + " ready, STARTTLS TLSv1.3");
            assertThat(r.data()).containsEntry("daysLeft", 6L);
        }
    }

    @Test
    void aShorterWarnPeriodLeavesTheSameCertificateUp() {
        try (MailServer server = MailServer.startTls("expiring")) {
            CheckResult r =
                    run(check(server, "expiring").warnBefore(Duration.ofDays(3)).build());

            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
        }
    }

    @Test
    void anExpiredCertificateIsDownAndTheCredentialsAreNeverSent() {
        try (MailServer server = MailServer.startTls("expired")) {
            CheckResult r = run(check(server, "expired")
                    .credentials(MailServer.USER, MailServer.PASSWORD)
                    .build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("certificate CN=localhost expired at ")
                    .endsWith(" at STARTTLS");
            assertThat((long) r.data().get("daysLeft")).isNegative();
            assertThat(server.logins()).isZero();
        }
    }

    @Test
    void aCertificateNamingAnotherHostIsDownAndTheCredentialsAreNeverSent() {
        try (MailServer server = MailServer.startTls("wronghost")) {
            CheckResult r = run(check(server, "wronghost")
                    .credentials(MailServer.USER, MailServer.PASSWORD)
                    .build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("certificate CN=wrong.example does not match host localhost at STARTTLS");
            assertThat(server.logins()).isZero();
        }
    }

    @Test
    void aCertificateTheTrustStoreDoesNotKnowIsDown() {
        try (MailServer server = MailServer.startTls("valid")) {
            CheckResult r = run(check(server, "expiring").build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .startsWith("certificate chain of CN=localhost is not trusted: ")
                    .endsWith(" at STARTTLS");
        }
    }

    @Test
    void implicitTlsIsTheDefaultOnPort465AndWorksOnAnyPortWhenChosen() {
        assertThat(SmtpCheck.builder("smtp.example.com", 465).build().toString())
                .isEqualTo("SmtpCheck[smtp.example.com:465, IMPLICIT_TLS]");
        try (MailServer server = MailServer.implicitTls("valid")) {
            CheckResult r = run(check(server, "valid")
                    .security(SmtpSecurity.IMPLICIT_TLS)
                    .credentials(MailServer.USER, MailServer.PASSWORD)
                    .build());

            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
            assertThat(r.data()).containsEntry("tls", "IMPLICIT").containsEntry("authenticated", true);
        }
    }

    @Test
    void aRequiredStartTlsThatIsNotOfferedIsDown() {
        try (MailServer server = MailServer.plain()) {
            CheckResult r = run(check(server, "valid")
                    .security(SmtpSecurity.STARTTLS_REQUIRED)
                    .build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message()).isEqualTo("server localhost:" + server.port() + " does not offer STARTTLS at EHLO");
        }
    }

    @Test
    void credentialsAreNeverSentInClearTextWhenStartTlsIsNotOffered() {
        try (MailServer server = MailServer.plain()) {
            CheckResult r = run(check(server, "valid")
                    .credentials(MailServer.USER, MailServer.PASSWORD)
                    .build());

            assertThat(r.status()).isEqualTo(Status.DOWN);
            assertThat(r.message())
                    .contains("credentials are never sent in clear text")
                    .endsWith(" at EHLO");
            assertThat(server.logins()).isZero();
        }
    }

    @Test
    void credentialsGoInClearTextOnlyWhenTheSecurityIsNone() {
        try (MailServer server = MailServer.plain()) {
            CheckResult r = run(check(server, "valid")
                    .security(SmtpSecurity.NONE)
                    .credentials(MailServer.USER, MailServer.PASSWORD)
                    .mechanism(SmtpAuthMechanism.LOGIN)
                    .build());

            assertThat(r.status()).as(r.message()).isEqualTo(Status.UP);
            assertThat(server.logins()).isEqualTo(1);
        }
    }

    @Test
    void aStoppedServerIsDownWithConnectionRefused() {
        MailServer server = MailServer.startTls("valid");
        SmtpCheck check = check(server, "valid").build();
        assertThat(run(check).status()).isEqualTo(Status.UP);
        server.stop();

        CheckResult r = run(check);

        assertThat(r.status()).isEqualTo(Status.DOWN);
        assertThat(r.message()).isEqualTo("connection refused by localhost:" + server.port() + " at CONNECT");
        assertThat(r.data()).containsEntry("step", "CONNECT").doesNotContainKey("replyCode");
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
