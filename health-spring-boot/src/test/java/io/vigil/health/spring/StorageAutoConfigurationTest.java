package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.CheckEntry;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Probe;
import io.vigil.health.Status;
import io.vigil.health.mail.SmtpCheck;
import io.vigil.health.test.Ports;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.mail.autoconfigure.MailHealthContributorAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The object storage and mail checks the starter registers: from an S3 client bean and {@code vigil.health.s3.*},
 * from {@code spring.mail.*} in place of Spring Boot's mail indicator. Each points at a port nobody listens on, so
 * that the registered check answers in its own words (the checks themselves are tested against real servers in
 * their modules).
 */
class StorageAutoConfigurationTest {
    private static final int CLOSED = Ports.free();
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(VigilHealthAutoConfiguration.class, VigilStorageAutoConfiguration.class));

    @Configuration(proxyBeanMethods = false)
    static class AnS3Client {
        @Bean(destroyMethod = "close")
        S3Client s3Client() {
            return S3Client.builder()
                    .endpointOverride(URI.create("http://127.0.0.1:" + CLOSED))
                    .region(Region.EU_CENTRAL_1)
                    .forcePathStyle(true)
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create("AKIASTARTERTEST00001", "starter/Secret+Key")))
                    .build();
        }
    }

    private static CheckEntry evaluate(HealthRegistry registry, String name) {
        return registry.evaluate(Probe.READINESS).checks().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theMailCheckIsBuiltFromSpringMailSettings() {
        runner.withPropertyValues(
                        "spring.mail.host=127.0.0.1",
                        "spring.mail.port=" + CLOSED,
                        "spring.mail.username=relay-user",
                        "spring.mail.password=relay-Secret-1",
                        "spring.mail.properties.mail.smtp.starttls.enable=true")
                .run(context -> {
                    assertThat(context).hasBean("mail");
                    HealthCheck mail = context.getBean("mail", HealthCheck.class);
                    assertThat(mail).isInstanceOf(SmtpCheck.class);
                    assertThat(mail.toString())
                            .isEqualTo("SmtpCheck[127.0.0.1:" + CLOSED + ", STARTTLS_WHEN_OFFERED, AUTH PLAIN]");

                    CheckEntry entry = evaluate(context.getBean(HealthRegistry.class), "mail");
                    assertThat(entry.status()).isEqualTo(Status.DOWN);
                    assertThat(entry.message()).isEqualTo("connection refused by 127.0.0.1:" + CLOSED + " at CONNECT");
                    assertThat(entry.message() + entry.data()).doesNotContain("relay-Secret-1");
                });
    }

    @Test
    void smtpsMeansImplicitTlsOnPort465() {
        runner.withPropertyValues("spring.mail.host=smtp.example.com", "spring.mail.protocol=smtps")
                .run(context -> assertThat(context.getBean("mail").toString())
                        .isEqualTo("SmtpCheck[smtp.example.com:465, IMPLICIT_TLS]"));
    }

    @Test
    void springBootsMailIndicatorIsReplacedNotBridgedBeside() {
        runner.withConfiguration(AutoConfigurations.of(
                        MailSenderAutoConfiguration.class, MailHealthContributorAutoConfiguration.class))
                .withPropertyValues("spring.mail.host=127.0.0.1", "spring.mail.port=" + CLOSED)
                .run(context -> {
                    assertThat(context).hasNotFailed().hasBean("mail");
                    assertThat(context.getBean("mailHealthContributor"))
                            .isInstanceOf(VigilStorageAutoConfiguration.SpringMail.Replaced.class);
                    assertThat(context.getBean(HealthRegistry.class).checkNames())
                            .contains("mail")
                            .doesNotContain("mailHealthContributor");
                });
    }

    @Test
    void withoutAMailHostOrWithTheMailCheckOffThereIsNoMailCheck() {
        runner.run(context -> assertThat(context).doesNotHaveBean("mail"));
        runner.withPropertyValues("spring.mail.host=127.0.0.1", "vigil.health.mail.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean("mail"));
    }

    @Test
    void theS3CheckUsesTheApplicationsClientForTheConfiguredBucket() {
        runner.withUserConfiguration(AnS3Client.class)
                .withPropertyValues(
                        "vigil.health.s3.bucket=backups",
                        "vigil.health.s3.object=db/latest.dump",
                        "vigil.health.s3.max-age=26h",
                        "vigil.health.checks.s3.timeout=3s")
                .run(context -> {
                    assertThat(context).hasBean("s3");
                    CheckEntry entry = evaluate(context.getBean(HealthRegistry.class), "s3");
                    assertThat(entry.status()).isEqualTo(Status.DOWN);
                    assertThat(entry.message())
                            .isEqualTo("HeadBucket backups: connection refused by http://127.0.0.1:" + CLOSED);
                    assertThat(entry.data()).containsEntry("region", "eu-central-1");
                    assertThat(entry.message() + entry.data()).doesNotContain("AKIASTARTERTEST00001");
                });
    }

    @Test
    void aBucketWithoutAClientFailsStartUpSayingSo() {
        runner.withPropertyValues("vigil.health.s3.bucket=backups")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("vigil.health.s3.bucket is set, but there is no"
                                + " single S3AsyncClient or S3Client bean"));
    }

    @Test
    void aClientWithoutABucketRegistersNoS3Check() {
        runner.withUserConfiguration(AnS3Client.class)
                .run(context -> assertThat(context).doesNotHaveBean("s3"));
    }
}
