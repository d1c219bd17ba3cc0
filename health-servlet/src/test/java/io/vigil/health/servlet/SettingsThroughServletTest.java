package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.config.HealthSettings;
import io.vigil.health.servlet.Containers.Running;
import io.vigil.health.tck.SettingsContract;
import java.util.List;
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
