package io.vigil.health.spring;

import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.tck.HttpContractSuite;
import java.util.function.Predicate;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The core HTTP contract over the starter's mount in real Spring Boot applications: each server is a Spring Boot
 * application whose handler bean is the suite's (an application's own bean, as the starter allows) and whose
 * details authorizer bean is the suite's predicate; the servlet registration and its mappings are the starter's.
 * The application keeps Spring Boot's server settings: the connector refuses unsafe paths, encoded slashes and
 * (Tomcat) TRACE itself, and paths outside the mount are the application's.
 */
abstract class StarterContractSuite extends HttpContractSuite {

    /** @return {@link BootApps.App} (Tomcat) or {@link BootApps.JettyApp} */
    abstract Class<?> app();

    /** @return the prefix of the web server's class name, e.g. {@code Tomcat} */
    abstract String server();

    @Override
    protected Served serve(HealthHandler handler, Predicate<String> authorized) {
        ConfigurableApplicationContext context = BootApps.start(
                app(),
                c -> {
                    c.registerBean(HealthHandler.class, () -> handler);
                    c.registerBean(HealthDetailsAuthorizer.class, () -> request -> {
                        String header = request.getHeader("Authorization");
                        return header != null && authorized.test(header);
                    });
                },
                new Class<?>[0],
                "vigil.health.version-prefixes=R4,STU3",
                "vigil.health.details=when-authorized");
        if (!BootApps.server(context).startsWith(server())) {
            context.close();
            throw new IllegalStateException("expected " + server() + ", got " + BootApps.server(context));
        }
        return Served.of(BootApps.base(context), context::close);
    }

    @Override
    protected boolean passesUnsafePaths() {
        return false;
    }

    @Override
    protected boolean passesEncodedSlashes() {
        return false;
    }

    @Override
    protected boolean servesEveryPath() {
        return false;
    }
}
