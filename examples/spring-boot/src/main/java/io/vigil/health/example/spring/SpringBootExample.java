package io.vigil.health.example.spring;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot web service with Vigil's starter and nothing Vigil-specific beyond one bean: probes on port 9090
 * from the first second (startup 503, readiness 423 during the Flyway migration, liveness 200), the same probes on
 * the application's port 8080 under {@code /health}, the starter's own checks of the DataSource ({@code db}) and of
 * deadlocks ({@code deadlocks}, liveness), this service's {@code inventory} indicator running under Vigil's engine,
 * Actuator untouched at {@code /actuator/health}.
 */
@SpringBootApplication
@RestController
public class SpringBootExample {

    /** @param args Spring Boot arguments, e.g. {@code --spring.flyway.placeholders.migration-seconds=20} */
    public static void main(String[] args) {
        SpringApplication.run(SpringBootExample.class, args);
    }

    /**
     * @param jdbc the application's database
     * @return a Vigil check of the database: the bean name {@code catalog} is the check's name
     */
    @Bean
    HealthCheck catalog(JdbcTemplate jdbc) {
        return HealthCheck.of(CheckKind.DATASTORE, () -> {
            Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM inventory", Integer.class);
            return CheckResult.up().withData("items", n == null ? 0 : n);
        });
    }

    /**
     * @param jdbc the application's database
     * @return a plain Spring Boot indicator, as the service had before Vigil: bridged as the check {@code inventory}
     */
    @Bean
    HealthIndicator inventoryHealthIndicator(JdbcTemplate jdbc) {
        return () -> {
            Integer low = jdbc.queryForObject("SELECT COUNT(*) FROM inventory WHERE stock < 5", Integer.class);
            return (low == null || low == 0 ? Health.up() : Health.status("LOW_STOCK"))
                    .withDetail("lowStock", low)
                    .build();
        };
    }

    /** @return the service's one endpoint */
    @GetMapping("/api/hello")
    String hello() {
        return "hello\n";
    }
}
