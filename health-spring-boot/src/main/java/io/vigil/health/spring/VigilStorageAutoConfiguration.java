package io.vigil.health.spring;

import io.vigil.health.HealthCheck;
import io.vigil.health.mail.SmtpCheck;
import io.vigil.health.mail.SmtpSecurity;
import io.vigil.health.s3.S3Check;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Registers the object storage and mail checks of a Spring Boot application: {@code s3}, an {@link S3Check} over
 * the application's {@link S3AsyncClient} (or else {@link S3Client}) bean when {@code vigil.health.s3.bucket} is
 * set, and {@code mail}, an {@link SmtpCheck} built from the {@code spring.mail.*} settings when
 * {@code spring.mail.host} is set. Both are ordinary {@link HealthCheck} beans: their policies come from
 * {@code vigil.health.checks.s3.*} and {@code vigil.health.checks.mail.*}, and an application bean of the same
 * name replaces them.
 *
 * <p>The mail check replaces Spring Boot's mail indicator, which has no timeout of its own: this configuration runs
 * first and takes the indicator's bean name, so that Spring Boot does not create it and nothing bridges it.
 */
@AutoConfiguration(beforeName = VigilStorageAutoConfiguration.SPRING_MAIL_INDICATOR)
@ConditionalOnProperty(
        prefix = VigilHealthProperties.PREFIX,
        name = "enabled",
        havingValue = "true",
        matchIfMissing = true)
public class VigilStorageAutoConfiguration {
    /** Spring Boot's auto-configuration of the mail health indicator, which backs off for our bean name. */
    static final String SPRING_MAIL_INDICATOR =
            "org.springframework.boot.mail.autoconfigure.MailHealthContributorAutoConfiguration";

    /** Created by Spring. */
    public VigilStorageAutoConfiguration() {}

    /** The {@code s3} check over the application's client. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({S3Check.class, S3Client.class})
    @ConditionalOnProperty(prefix = VigilStorageProperties.PREFIX, name = "bucket")
    @EnableConfigurationProperties(VigilStorageProperties.class)
    static class ObjectStorage {
        @Bean(name = "s3")
        @ConditionalOnMissingBean(name = "s3")
        HealthCheck s3(
                ObjectProvider<S3AsyncClient> async,
                ObjectProvider<S3Client> blocking,
                VigilStorageProperties properties) {
            // the bean exists only when the bucket is set (@ConditionalOnProperty)
            String bucket = Objects.requireNonNull(properties.getBucket(), VigilStorageProperties.PREFIX + ".bucket");
            S3AsyncClient a = async.getIfUnique();
            S3Check.Builder b;
            if (a != null) {
                b = S3Check.builder(a, bucket);
            } else {
                S3Client c = blocking.getIfUnique();
                if (c == null) {
                    throw new IllegalStateException(VigilStorageProperties.PREFIX + ".bucket is set, but there is no"
                            + " single S3AsyncClient or S3Client bean to check it with");
                }
                b = S3Check.builder(c, bucket);
            }
            b.probe(properties.getProbe());
            if (properties.getObject() != null) {
                b.object(properties.getObject());
                if (properties.getMaxAge() != null) {
                    b.maxAge(properties.getMaxAge(), properties.getTooOld());
                }
            }
            return b.build();
        }
    }

    /** The {@code mail} check from {@code spring.mail.*}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(SmtpCheck.class)
    @ConditionalOnProperty(prefix = "spring.mail", name = "host")
    @ConditionalOnProperty(prefix = "vigil.health.mail", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class Mail {
        @Bean(name = "mail")
        @ConditionalOnMissingBean(name = "mail")
        HealthCheck mail(Environment env) {
            return SpringMail.check(env);
        }

        /** Takes the name Spring Boot's mail indicator would have, so that it is not created beside ours. */
        @Bean(name = "mailHealthContributor")
        @ConditionalOnMissingBean(name = {"mailHealthContributor", "mailHealthIndicator"})
        SpringMail.Replaced mailHealthContributor() {
            return new SpringMail.Replaced();
        }
    }

    /** Reads {@code spring.mail.*} the way Spring Boot's mail sender does. */
    static final class SpringMail {
        private SpringMail() {}

        /** A marker: Spring Boot's mail indicator is replaced by the {@code mail} check. */
        static final class Replaced {
            @Override
            public String toString() {
                return "replaced by Vigil's mail check";
            }
        }

        static SmtpCheck check(Environment env) {
            String protocol = env.getProperty("spring.mail.protocol", "smtp");
            boolean smtps = protocol.equalsIgnoreCase("smtps");
            String p = "spring.mail.properties.mail." + protocol.toLowerCase(java.util.Locale.ROOT) + ".";
            boolean ssl = smtps
                    || env.getProperty("spring.mail.ssl.enabled", Boolean.class, false)
                    || env.getProperty(p + "ssl.enable", Boolean.class, false);
            int port = env.getProperty("spring.mail.port", Integer.class, ssl ? 465 : 25);
            SmtpCheck.Builder b = SmtpCheck.builder(env.getRequiredProperty("spring.mail.host"), port);
            if (ssl) {
                b.security(SmtpSecurity.IMPLICIT_TLS);
            } else if (env.getProperty(p + "starttls.required", Boolean.class, false)) {
                b.security(SmtpSecurity.STARTTLS_REQUIRED);
            } else if (env.getProperty(p + "starttls.enable", Boolean.class, false)) {
                b.security(SmtpSecurity.STARTTLS_WHEN_OFFERED);
            } else {
                b.security(SmtpSecurity.NONE); // as Jakarta Mail, which does not upgrade unless told to
            }
            String user = env.getProperty("spring.mail.username");
            if (user != null && !user.isBlank()) {
                b.credentials(user, env.getProperty("spring.mail.password", ""));
            }
            return b.build();
        }
    }
}
