package io.vigil.health.spring;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.HttpContractSuite;
import java.util.function.Predicate;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The core HTTP contract over the starter's mount in real Spring Boot applications: each server is a Spring Boot
 * application whose handler bean is the suite's (an application's own bean, as the starter allows) and whose
 * details authorizer bean is the suite's predicate; the servlet registration and its mappings are the starter's.
 */
final class StarterMount {
    private StarterMount() {
    }

    static HttpContractSuite.Served serve(Class<?> app, HealthHandler handler, Predicate<String> authorized) {
        ConfigurableApplicationContext context = BootApps.start(app, c -> {
            c.registerBean(HealthHandler.class, () -> handler);
            c.registerBean(HealthDetailsAuthorizer.class, () -> request -> {
                String header = request.getHeader("Authorization");
                return header != null && authorized.test(header);
            });
        }, new Class<?>[0], "vigil.health.version-prefixes=R4,STU3", "vigil.health.details=when-authorized");
        String expected = app == BootApps.JettyApp.class ? "Jetty" : "Tomcat";
        if (!BootApps.server(context).startsWith(expected)) {
            context.close();
            throw new IllegalStateException("expected " + expected + ", got " + BootApps.server(context));
        }
        return HttpContractSuite.Served.of(BootApps.base(context), context::close);
    }
}
