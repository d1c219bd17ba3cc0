package io.vigil.health.spring;

import io.vigil.health.HealthRegistry;
import io.vigil.health.server.JdkHealthServer;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;
import org.springframework.validation.BeanPropertyBindingResult;

/**
 * With {@code vigil.health.port} set, starts the {@link EarlyHealthServer} before the application context refreshes
 * and registers the {@link HealthRegistry} it serves as the application's registry bean, so probes answer during
 * the whole start-up: startup 503 until the application is ready, readiness 423 while migrations hold a lock,
 * liveness 200. Registered in {@code META-INF/spring.factories}; applications do not call it.
 */
public final class EarlyHealthServerInitializer
        implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {
    private static final Logger LOG = LoggerFactory.getLogger(EarlyHealthServerInitializer.class);

    /** Used by Spring's factory loading. */
    public EarlyHealthServerInitializer() {}

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        VigilHealthProperties properties = Binder.get(context.getEnvironment())
                .bindOrCreate(VigilHealthProperties.PREFIX, VigilHealthProperties.class);
        if (!properties.isEnabled() || properties.getPort() == null) {
            return;
        }
        ConfigurableListableBeanFactory beans = context.getBeanFactory();
        if (beans.containsBean(Registries.REGISTRY_BEAN)) {
            return;
        }
        BeanPropertyBindingResult errors = new BeanPropertyBindingResult(properties, VigilHealthProperties.PREFIX);
        properties.validate(properties, errors);
        if (errors.hasErrors()) {
            throw new IllegalStateException("invalid health settings: "
                    + String.join(
                            "; ",
                            errors.getAllErrors().stream()
                                    .map(e -> e.getDefaultMessage())
                                    .toList()));
        }
        HealthRegistry registry = Registries.registry();
        JdkHealthServer server;
        try {
            server = JdkHealthServer.builder(Registries.handler(registry, context.getEnvironment()))
                    .port(properties.getPort())
                    .start();
        } catch (UncheckedIOException | IllegalArgumentException e) {
            registry.close();
            throw new IllegalStateException(
                    "cannot start the probe server on " + VigilHealthProperties.PREFIX + ".port=" + properties.getPort()
                            + ": " + e.getMessage(),
                    e);
        }
        EarlyHealthServer early = new EarlyHealthServer(server, registry);
        beans.registerSingleton(Registries.REGISTRY_BEAN, registry);
        beans.registerSingleton(EarlyHealthServer.BEAN, early);
        if (beans instanceof DefaultSingletonBeanRegistry r) {
            r.registerDisposableBean(EarlyHealthServer.BEAN, early);
        } else {
            // not a Spring bean factory we know: close with the context instead (before its web server stops)
            context.addApplicationListener((ContextClosedEvent e) -> early.destroy());
        }
        LOG.atInfo()
                .addKeyValue("port", early.port())
                .log("probe server listening on port {} before start-up", early.port());
    }

    /** @return early, but after initializers that add property sources */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 100;
    }
}
