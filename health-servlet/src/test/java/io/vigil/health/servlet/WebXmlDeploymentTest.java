package io.vigil.health.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.health.servlet.Containers.Running;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.junit.jupiter.api.Test;

/**
 * A WAR needs no code: the servlet is declared in {@code web.xml} with init parameters, or registered by the
 * opt-in {@link HealthServletInitializer}. Deployed as a real web application in Tomcat 11, which parses the
 * descriptor and runs the container initializers it finds.
 */
class WebXmlDeploymentTest {
    private static final String HEAD = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee"
                     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                     xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/web-app_6_0.xsd"
                     version="6.0">
            """;
    static final String LISTENER = """
              <listener><listener-class>io.vigil.health.servlet.RegistryListener</listener-class></listener>
            """;

    /** Deploys a web application with this {@code web.xml} body in a real Tomcat, at {@code /app}. */
    static Running deploy(String webXmlBody) throws IOException {
        Path base = Containers.tempDir("war");
        Path docBase =
                Files.createDirectories(base.resolve("webapps/app/WEB-INF")).getParent();
        Files.writeString(
                docBase.resolve("WEB-INF/web.xml"), HEAD + webXmlBody + "</web-app>\n", StandardCharsets.UTF_8);
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Connector connector = Containers.connector(Containers.Mount.root());
        tomcat.setConnector(connector);
        Containers.quietErrorPages(tomcat);
        tomcat.addUser(Containers.OPS[0], Containers.OPS[1]);
        tomcat.addRole(Containers.OPS[0], Containers.ROLE);
        Context context = tomcat.addWebapp("/app", docBase.toAbsolutePath().toString());
        StandardJarScanner jars = new StandardJarScanner();
        jars.setScanClassPath(false);
        context.setJarScanner(jars);
        context.setPreemptiveAuthentication(true);
        return Containers.startTomcat(tomcat, connector, "/app", base);
    }

    @Test
    void servletDeclaredInWebXmlServesTheRegistryPublishedByTheApplication() throws Exception {
        try (Running r = deploy(LISTENER + """
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <init-param><param-name>base-path</param-name><param-value>/probes</param-value></init-param>
                    <init-param><param-name>version-prefixes</param-name><param-value>R4, STU3</param-value></init-param>
                    <init-param><param-name>details</param-name><param-value>always</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/probes/*</url-pattern></servlet-mapping>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/R4/*</url-pattern></servlet-mapping>
                """)) {
            Http.Raw ready = Http.raw(r.base(), "GET", "/app/probes/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).contains("\"orders-db\"", "\"product\":\"H2\"");
            assertThat(Http.raw(r.base(), "GET", "/app/R4/$liveness").status()).isEqualTo(200);
            assertThat(Http.raw(r.base(), "GET", "/app/R4/probes/ready").body()).contains("\"orders-db\"");
            Answers.operationOutcome(Http.raw(r.base(), "GET", "/app/probes/nope"), 404);
        }
    }

    @Test
    void theStatusPolicyInitParameterPicksAPreset() throws Exception {
        try (Running r = deploy(LISTENER + """
                  <context-param><param-name>test.orders-db.degraded</param-name><param-value>true</param-value></context-param>
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <init-param><param-name>status-policy</param-name><param-value>consul</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/health/*</url-pattern></servlet-mapping>
                """)) {
            Http.Raw ready = Http.raw(r.base(), "GET", "/app/health/ready");
            assertThat(ready.status()).as("Consul's warning for DEGRADED").isEqualTo(429);
            assertThat(ready.body()).contains("\"outcome\":\"DEGRADED\"");
        }
        try (Running r = deploy(LISTENER + """
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <init-param><param-name>status-policy</param-name><param-value>haproxy</param-value></init-param>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/health/*</url-pattern></servlet-mapping>
                """)) {
            Http.Raw answer = Http.raw(r.base(), "GET", "/app/health/ready");
            assertThat(answer.status())
                    .as("an unknown preset makes the servlet unavailable")
                    .isEqualTo(404);
            Answers.noInternals(answer);
        }
    }

    @Test
    void roleFromWebXmlDecidesWhoSeesDetails() throws Exception {
        try (Running r = deploy(LISTENER + """
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <init-param><param-name>details</param-name><param-value>WHEN_AUTHORIZED</param-value></init-param>
                    <init-param><param-name>details-role</param-name><param-value>health-details</param-value></init-param>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/health/*</url-pattern></servlet-mapping>
                  <login-config><auth-method>BASIC</auth-method><realm-name>vigil-test</realm-name></login-config>
                  <security-role><role-name>health-details</role-name></security-role>
                """)) {
            String anonymous = Http.raw(r.base(), "GET", "/app/health/ready").body();
            assertThat(anonymous).contains("\"orders-db\"").doesNotContain("H2");
            String ops = Http.raw(
                            r.base(),
                            "GET",
                            "/app/health/ready",
                            "Authorization: Basic "
                                    + Base64.getEncoder()
                                            .encodeToString((Containers.OPS[0] + ":" + Containers.OPS[1])
                                                    .getBytes(StandardCharsets.UTF_8)))
                    .body();
            assertThat(ops).contains("\"product\":\"H2\"");
        }
    }

    @Test
    void withoutAPublishedRegistryTheServletBuildsOneFromDiscoveredChecks() throws Exception {
        try (Running r = deploy("""
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <load-on-startup>1</load-on-startup>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/health/*</url-pattern></servlet-mapping>
                """)) {
            Http.Raw ready = Http.raw(r.base(), "GET", "/app/health/ready");
            assertThat(ready.status()).as("an owned registry is marked started").isEqualTo(200);
            assertThat(ready.body()).contains("\"" + DiscoveredChecks.NAME + "\"");
        }
    }

    @Test
    void withDiscoveryOffAndNoRegistryTheServletIsUnavailableWithoutLeakingInternals() throws Exception {
        try (Running r = deploy("""
                  <servlet>
                    <servlet-name>health</servlet-name>
                    <servlet-class>io.vigil.health.servlet.HealthServlet</servlet-class>
                    <init-param><param-name>discover-checks</param-name><param-value>false</param-value></init-param>
                  </servlet>
                  <servlet-mapping><servlet-name>health</servlet-name><url-pattern>/health/*</url-pattern></servlet-mapping>
                """)) {
            // a misconfiguration fails the servlet's initialisation (logged); the container then treats the
            // servlet as permanently unavailable, which Servlet 6 answers with 404
            Http.Raw answer = Http.raw(r.base(), "GET", "/app/health/ready");
            assertThat(answer.status()).isEqualTo(404);
            Answers.noInternals(answer);
        }
    }

    @Test
    void initializerRegistersTheServletWhenEnabledByContextParameters() throws Exception {
        try (Running r = deploy(LISTENER + """
                  <context-param><param-name>io.vigil.health.enabled</param-name><param-value>true</param-value></context-param>
                  <context-param><param-name>io.vigil.health.mappings</param-name><param-value>/health/*, /livez</param-value></context-param>
                  <context-param><param-name>io.vigil.health.details</param-name><param-value>ALWAYS</param-value></context-param>
                """)) {
            Http.Raw ready = Http.raw(r.base(), "GET", "/app/health/ready");
            assertThat(ready.status()).isEqualTo(200);
            assertThat(ready.body()).contains("\"orders-db\"", "\"product\":\"H2\"");
            assertThat(Http.raw(r.base(), "GET", "/app/livez").status()).isEqualTo(200);
        }
    }

    @Test
    void initializerRegistersNothingUnlessEnabled() throws Exception {
        try (Running r = deploy(LISTENER)) {
            Http.Raw answer = Http.raw(r.base(), "GET", "/app/health/ready");
            assertThat(answer.status()).isEqualTo(404);
            assertThat(answer.headers().get("content-type")).doesNotStartWith("application/fhir+json");
        }
    }
}
