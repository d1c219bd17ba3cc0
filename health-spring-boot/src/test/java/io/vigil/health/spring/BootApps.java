package io.vigil.health.spring;

import java.net.URI;
import java.util.function.Consumer;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;

/** Real Spring Boot applications on loopback for the tests: auto-configuration only, no component scan. */
final class BootApps {
    /** Excluded unless a test sets {@code spring.autoconfigure.exclude} itself: most tests have no database. */
    static final String NO_DATABASE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
            + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration";

    private BootApps() {}

    /** A web application with every auto-configuration on the test class path, on Tomcat. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OnTomcat.class)
    static class App {}

    /** A web application on Jetty. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OnJetty.class)
    static class JettyApp {}

    /**
     * Tomcat, named: with Tomcat and Jetty both on the test class path Spring Boot would pick one by the order of
     * its auto-configurations.
     */
    @Configuration(proxyBeanMethods = false)
    static class OnTomcat {
        @Bean
        TomcatServletWebServerFactory tomcat() {
            return new TomcatServletWebServerFactory();
        }
    }

    /** Jetty, named. */
    @Configuration(proxyBeanMethods = false)
    static class OnJetty {
        @Bean
        JettyServletWebServerFactory jetty() {
            return new JettyServletWebServerFactory();
        }
    }

    /** Like {@link #start(Class, Consumer, Class[], String...)} on Tomcat. */
    static ConfigurableApplicationContext start(
            Consumer<GenericApplicationContext> beans, Class<?>[] sources, String... properties) {
        return start(App.class, beans, sources, properties);
    }

    /**
     * @param app        {@link App} or {@link JettyApp}
     * @param beans      registers extra beans before the refresh
     * @param sources    extra configuration classes
     * @param properties {@code key=value} settings
     * @return the running application (server on 127.0.0.1, random port)
     */
    static ConfigurableApplicationContext start(
            Class<?> app, Consumer<GenericApplicationContext> beans, Class<?>[] sources, String... properties) {
        SpringApplicationBuilder b = new SpringApplicationBuilder(app)
                .sources(sources)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "spring.autoconfigure.exclude=" + NO_DATABASE,
                        "spring.liquibase.enabled=false")
                .properties(properties)
                .initializers(c -> beans.accept((GenericApplicationContext) c));
        return b.run();
    }

    /**
     * @param context a running web application
     * @return the simple class name of its web server, e.g. {@code TomcatWebServer}
     */
    static String server(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getClass().getSimpleName();
    }

    /**
     * @param context a running web application
     * @return e.g. {@code http://127.0.0.1:1234}
     */
    static URI base(ConfigurableApplicationContext context) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
    }
}
