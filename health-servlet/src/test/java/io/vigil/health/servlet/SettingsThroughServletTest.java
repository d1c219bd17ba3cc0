package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.config.HealthSettings;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.tck.SettingsContract;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every endpoint setting of the one specification takes effect through both servlet entry points: as an init
 * parameter of a servlet declared in {@code web.xml}, and as a context parameter read by the
 * {@link HealthServletInitializer} (whose former hand-written list forgot {@code status-policy}). Each sample is
 * deployed alone in a real Tomcat.
 */
class SettingsThroughServletTest {
    static List<SettingsContract.Sample> samples() {
        return SettingsContract.samples();
    }

    private static String degraded(SettingsContract.Sample s) {
        return s.degraded()
                ? "<context-param><param-name>" + RegistryListener.DEGRADED
                        + "</param-name><param-value>true</param-value></context-param>\n"
                : "";
    }

    private static SettingsContract.Client client(Running r) {
        return (path, accept) -> {
            Http.Raw raw = accept == null
                    ? Http.raw(r.base(), "GET", "/app" + path)
                    : Http.raw(r.base(), "GET", "/app" + path, "Accept: " + accept);
            return new SettingsContract.Answer(raw.status(), raw.headers(), raw.body());
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySettingTakesEffectAsAnInitParameter(SettingsContract.Sample sample) throws Exception {
        try (Running r = WebXmlDeploymentTest.deploy(WebXmlDeploymentTest.LISTENER
                + degraded(sample)
                + """
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <init-param><param-name>%s</param-name><param-value>%s</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
                """.formatted(sample.setting().key(), sample.value()))) {
            sample.verify(client(r));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void everySettingTakesEffectAsAContextParameter(SettingsContract.Sample sample) throws Exception {
        try (Running r = WebXmlDeploymentTest.deploy(WebXmlDeploymentTest.LISTENER
                + degraded(sample)
                + """
                  <context-param><param-name>vigil.health.enabled</param-name><param-value>true</param-value></context-param>
                  <context-param><param-name>vigil.health.mappings</param-name><param-value>/*</param-value></context-param>
                  <context-param><param-name>vigil.health.%s</param-name><param-value>%s</param-value></context-param>
                """.formatted(sample.setting().key(), sample.value()))) {
            sample.verify(client(r));
        }
    }

    /** The refusals of endpoint settings: the servlet entry points serve an application's registry, no checks. */
    static List<SettingsContract.Refusal> refusals() {
        return SettingsContract.refusals().stream()
                .filter(r -> HealthSettings.endpoint().contains(r.setting()))
                .toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anInvalidInitParameterMakesTheServletUnavailableWithTheSpecificationsMessage(SettingsContract.Refusal refusal)
            throws Exception {
        try (ContainerLog log = new ContainerLog();
                Running r = WebXmlDeploymentTest.deploy(WebXmlDeploymentTest.LISTENER
                        + """
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <init-param><param-name>%s</param-name><param-value>%s</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/*</url-pattern></servlet-mapping>
                """.formatted(refusal.setting().key(), refusal.value()))) {
            assertThat(client(r).get("/health/ready", null).status()).isNotEqualTo(200);
            assertThat(log.messages()).contains("invalid health servlet init parameter: " + refusal.message());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void anInvalidContextParameterMakesTheServletUnavailableWithTheSpecificationsMessage(
            SettingsContract.Refusal refusal) throws Exception {
        try (ContainerLog log = new ContainerLog();
                Running r = WebXmlDeploymentTest.deploy(WebXmlDeploymentTest.LISTENER
                        + """
                  <context-param><param-name>vigil.health.enabled</param-name><param-value>true</param-value></context-param>
                  <context-param><param-name>vigil.health.mappings</param-name><param-value>/*</param-value></context-param>
                  <context-param><param-name>vigil.health.%s</param-name><param-value>%s</param-value></context-param>
                """.formatted(refusal.setting().key(), refusal.value()))) {
            assertThat(client(r).get("/health/ready", null).status()).isNotEqualTo(200);
            assertThat(log.messages()).contains("invalid health servlet init parameter: " + refusal.message());
        }
    }

    /**
     * What the container logs (Tomcat logs through java.util.logging): a servlet whose {@code init} fails is logged
     * there with its exception, which is all an operator sees.
     */
    private static final class ContainerLog extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger("org.apache.catalina");
        private final StringBuffer text = new StringBuffer();

        ContainerLog() {
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord rec) {
            text.append(rec.getMessage()).append('\n');
            for (Throwable t = rec.getThrown(); t != null; t = t.getCause()) {
                text.append(t.getMessage()).append('\n');
            }
        }

        String messages() {
            return text.toString();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }

    @org.junit.jupiter.api.Test
    void theFormerContextPrefixStillWorksForOneRelease() throws Exception {
        try (Running r = WebXmlDeploymentTest.deploy(WebXmlDeploymentTest.LISTENER + """
                  <context-param><param-name>test.orders-db.degraded</param-name><param-value>true</param-value></context-param>
                  <context-param><param-name>io.vigil.health.enabled</param-name><param-value>true</param-value></context-param>
                  <context-param><param-name>io.vigil.health.status-policy</param-name><param-value>consul</param-value></context-param>
                """)) {
            assertThat(client(r).get("/health/ready", null).status())
                    .as("status-policy as a context parameter")
                    .isEqualTo(429);
        }
    }

    @org.junit.jupiter.api.Test
    void theInitializerPassesOnExactlyTheServletsParameters() {
        assertThat(HealthServlet.PARAMETERS)
                .contains(
                        HealthServlet.STATUS_POLICY,
                        HealthServlet.DETAILS_ROLE,
                        HealthServlet.REGISTRY_ATTRIBUTE,
                        HealthServlet.DISCOVER_CHECKS);
        HealthSettings.endpoint()
                .forEach(s -> assertThat(HealthServlet.PARAMETERS).contains(s.key()));
    }
}
