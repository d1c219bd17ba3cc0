package io.vigil.health.bench.spring;

import io.vigil.health.bench.Library;
import io.vigil.health.bench.NamedCheck;
import io.vigil.health.bench.Subject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleHttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Boot Actuator's {@link HealthEndpoint} built by hand, as its auto-configuration would build it, without
 * an application context: a {@link DefaultHealthContributorRegistry} of {@link HealthIndicator}s, one primary group
 * that shows components but not details (the default for anonymous callers), serialised with a Jackson 3
 * {@link JsonMapper} as Spring Boot 4 does. Spring Boot has no per-check timeout and calls indicators one after the
 * other on the request thread.
 */
public final class SpringBootLibrary implements Library {

    /** Found by {@link java.util.ServiceLoader}. */
    public SpringBootLibrary() {}

    @Override
    public String name() {
        return "Spring Boot";
    }

    @Override
    public String version() {
        return Library.versionOf(HealthEndpoint.class, "org.springframework.boot", "spring-boot-health");
    }

    @Override
    public List<String> variants() {
        return List.of("sequential");
    }

    @Override
    public Subject open(String variant, List<NamedCheck> checks, Duration timeout) {
        DefaultHealthContributorRegistry registry = new DefaultHealthContributorRegistry();
        for (NamedCheck c : checks) {
            registry.registerContributor(c.name(), (HealthIndicator) () -> {
                try {
                    c.body().run();
                    return Health.up().build();
                } catch (Exception e) {
                    return Health.down(e).build();
                }
            });
        }
        HealthEndpointGroups groups = HealthEndpointGroups.of(new PrimaryGroup(), Map.of());
        HealthEndpoint endpoint = new HealthEndpoint(registry, null, groups, Duration.ofSeconds(10));
        JsonMapper mapper = JsonMapper.builder().build();
        return new Subject() {
            @Override
            public byte[] probe() {
                return mapper.writeValueAsBytes(endpoint.health());
            }

            @Override
            public void close() {
                // nothing to stop: Spring Boot's endpoint owns no threads
            }
        };
    }

    /** What the auto-configured primary group is with the default properties. */
    private static final class PrimaryGroup implements HealthEndpointGroup {
        private final StatusAggregator aggregator = new SimpleStatusAggregator();
        private final HttpCodeStatusMapper mapper = new SimpleHttpCodeStatusMapper();

        @Override
        public boolean isMember(String name) {
            return true;
        }

        @Override
        public boolean showComponents(SecurityContext securityContext) {
            return true;
        }

        @Override
        public boolean showDetails(SecurityContext securityContext) {
            return false;
        }

        @Override
        public StatusAggregator getStatusAggregator() {
            return aggregator;
        }

        @Override
        public HttpCodeStatusMapper getHttpCodeStatusMapper() {
            return mapper;
        }

        @Override
        public AdditionalHealthEndpointPath getAdditionalPath() {
            return null;
        }
    }
}
