package io.vigil.health.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigil.health.HealthRegistry;
import io.vigil.health.test.LogCapture;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.jar.JarFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot web + JDBC application with only the starter added: its database is checked by Vigil's own
 * {@code DataSourceCheck}, with or without Spring's health API on the class path, and the JVM by a deadlock check.
 */
class NativeChecksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Spring Boot's health API (spring-boot-health): hidden to play an application without it. */
    private static final String HEALTH_API = "org.springframework.boot.health.";

    private static String[] settings(String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "server.address=127.0.0.1",
                "spring.main.banner-mode=off",
                "spring.liquibase.enabled=false",
                "spring.autoconfigure.exclude=org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
                "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "vigil.health.details=always"));
        all.addAll(List.of(properties));
        return all.toArray(String[]::new);
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(BootApps.App.class)
                .properties(settings(properties))
                .run();
    }

    /**
     * Starts the application in a class loader of the test class path without Spring Boot's health API and
     * Actuator (their jars, not just their classes: their auto-configuration lists go with them), as an application
     * that never added them.
     */
    static final class WithoutHealthApi {
        /**
         * Called in the isolated class loader.
         *
         * @return the port and the application, to close
         */
        public static Object[] run(String[] settings) {
            // on Jetty: Tomcat would install its JVM-wide URL handler factory from this class loader
            ConfigurableApplicationContext app = new SpringApplicationBuilder(BootApps.JettyApp.class)
                    .properties(settings)
                    .run();
            return new Object[] {
                app.getEnvironment().getProperty("local.server.port"),
                app,
                app.getBeanNamesForType(IndicatorBridge.class).length
            };
        }

        static URLClassLoader loader() throws Exception {
            List<URL> urls = new ArrayList<>();
            for (String entry : classPath()) {
                String file = Path.of(entry).getFileName().toString();
                if (!file.startsWith("spring-boot-health") && !file.startsWith("spring-boot-actuator")) {
                    urls.add(Path.of(entry).toUri().toURL());
                }
            }
            assertThat(urls).as("class path").hasSizeGreaterThan(10);
            return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        }

        /** The test class path, also when Surefire passes it in a manifest-only jar. */
        private static List<String> classPath() throws Exception {
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> entries = new ArrayList<>(List.of(cp.split(java.io.File.pathSeparator)));
            if (entries.size() == 1 && entries.get(0).endsWith(".jar")) {
                try (JarFile jar = new JarFile(entries.get(0))) {
                    String manifest = jar.getManifest().getMainAttributes().getValue("Class-Path");
                    entries.clear();
                    for (String u : manifest.trim().split(" +")) {
                        entries.add(Path.of(URI.create(u.startsWith("file:") ? u : "file:" + u))
                                .toString());
                    }
                }
            }
            return entries;
        }
    }

    private static JsonNode get(ConfigurableApplicationContext app, String path) throws Exception {
        return get(BootApps.base(app), path);
    }

    private static JsonNode get(URI base, String path) throws Exception {
        HttpResponse<String> r = Http.get(base, path);
        return ((com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(r.body()))
                .put("httpStatus", r.statusCode());
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode c : report.path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + report);
    }

    @Test
    @SuppressWarnings("try") // the resource is held while the block runs; the block itself never touches it
    void aJdbcAppWithOnlyTheStarterReportsItsDatabaseInReadinessWithoutSpringsHealthApi() throws Exception {
        ClassLoader test = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader isolated = WithoutHealthApi.loader()) {
            assertThatThrownBy(() -> isolated.loadClass(HEALTH_API + "contributor.HealthContributor"))
                    .isInstanceOf(ClassNotFoundException.class);
            Thread.currentThread().setContextClassLoader(isolated);
            java.lang.reflect.Method run =
                    isolated.loadClass(WithoutHealthApi.class.getName()).getMethod("run", String[].class);
            run.setAccessible(true);
            Object[] started = (Object[]) run.invoke(null, (Object) settings());
            Thread.currentThread().setContextClassLoader(test);
            try (AutoCloseable closing = (AutoCloseable) started[1]) {
                assertThat(started[2])
                        .as("no indicator bridge without spring-boot-health")
                        .isEqualTo(0);
                URI base = Http.local(Integer.parseInt((String) started[0]));
                // the pool opens its first connection on the first check, which may overrun its budget on a loaded
                // machine (DOWN, timeout); the claim is that the database is reported and comes UP
                JsonNode ready = Awaitility.await()
                        .atMost(Duration.ofSeconds(30))
                        .until(
                                () -> get(base, "/health/ready"),
                                r -> r.path("httpStatus").asInt() == 200);
                JsonNode db = check(ready, "db");
                assertThat(db.path("status").asText()).isEqualTo("UP");
                assertThat(db.path("data").path("database").asText()).isEqualTo("H2");
                assertThat(check(get(base, "/health/live"), "deadlocks")
                                .path("status")
                                .asText())
                        .isEqualTo("UP");
            }
        } finally {
            Thread.currentThread().setContextClassLoader(test);
        }
    }

    @Test
    void whereSpringsIndicatorForTheSameDataSourceExistsVigilsCheckWinsAndTheBridgeSkipsIt() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            assertThat(app.getBeanNamesForType(IndicatorBridge.class)).hasSize(1);
            assertThat(app.getBeanNamesForType(org.springframework.boot.health.contributor.HealthContributor.class))
                    .as("Spring's DataSource indicator exists")
                    .isNotEmpty();
            JsonNode db = Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(
                            () -> check(get(app, "/health/ready"), "db"),
                            c -> c.path("status").asText().equals("UP"));
            assertThat(db.path("data").path("validation").asText())
                    .as("DataSourceCheck's data, not Spring's: " + db)
                    .isIn("isValid", "query");
            assertThat(app.getBean(HealthRegistry.class).checkNames())
                    .filteredOn(n -> n.startsWith("db"))
                    .containsExactly("db");
        }
    }

    @Test
    void theNativeChecksCanBeTurnedOff() throws Exception {
        try (ConfigurableApplicationContext app = start(
                "vigil.health.db-check=false",
                "vigil.health.deadlock-check=false",
                "vigil.health.bridge-indicators=false")) {
            assertThat(app.getBean(HealthRegistry.class).checkNames()).doesNotContain("db", "deadlocks");
        }
    }

    @Test
    void aWarningAboutSettingsForAMissingCheckSaysWhatWouldCreateIt() {
        try (LogCapture log = LogCapture.of(CheckRegistrar.class.getName())) {
            new ApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(
                            VigilHealthAutoConfiguration.class, NativeChecksAutoConfiguration.class))
                    .withPropertyValues("vigil.health.checks.db.timeout=2s", "vigil.health.checks.cache.timeout=2s")
                    .run(context -> assertThat(context).hasNotFailed());
            assertThat(log.lines()).anyMatch(l -> l.contains("no check named db ") && l.contains("a DataSource bean"));
            assertThat(log.lines())
                    .anyMatch(l -> l.contains("no check named cache ")
                            && l.contains("a HealthCheck bean named cache")
                            && l.contains("spring-boot-health"));
        }
    }
}
