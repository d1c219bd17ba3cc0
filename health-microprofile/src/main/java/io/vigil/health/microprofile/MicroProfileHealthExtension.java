package io.vigil.health.microprofile;

import io.vigil.health.Probe;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.context.spi.Context;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessProducerField;
import jakarta.enterprise.inject.spi.ProcessProducerMethod;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.eclipse.microprofile.health.HealthCheck;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CDI portable extension: every bean of type {@link HealthCheck} with a {@code @Liveness}, {@code @Readiness} or
 * {@code @Startup} qualifier (classes and producer methods or fields alike; several qualifiers allowed) is
 * registered on a {@link MicroProfileHealth} built from configuration when the container boots. Beans without
 * any of the qualifiers are ignored, as MicroProfile Health requires.
 *
 * <ul>
 *   <li>Instances are created at deployment, so a slow constructor delays the deployment, not the first probe.
 *       A {@code @Dependent} check gets one instance, destroyed (its {@code @PreDestroy} runs) when the
 *       container shuts down; normal-scoped checks are called through their client proxies.</li>
 *   <li>When deployment validation ends, the start-up window ends ({@link MicroProfileHealth#markStarted()}).</li>
 *   <li>On shutdown the registry drains and stops its threads.</li>
 *   <li>The {@link MicroProfileHealth} is a {@code @Singleton} bean: inject it to add Vigil checks or take locks.</li>
 * </ul>
 * Registered through {@code META-INF/services/jakarta.enterprise.inject.spi.Extension}.
 */
// "exports": CDI is provided by the container that loads this extension
@SuppressWarnings("exports")
public final class MicroProfileHealthExtension implements Extension {
    private static final Logger LOG = LoggerFactory.getLogger(MicroProfileHealthExtension.class);

    private record Found(Bean<?> bean, String name, Set<Probe> probes) {}

    // container events arrive one at a time during bootstrap
    private final List<Found> found = new ArrayList<>();
    private final List<BeanSource> sources = new ArrayList<>();
    private volatile @Nullable MicroProfileHealth health;

    /** Called by the CDI container. */
    public MicroProfileHealthExtension() {}

    /** @return the instance of this deployment, or {@code null} before the container starts booting */
    public @Nullable MicroProfileHealth health() {
        return health;
    }

    void begin(@Observes BeforeBeanDiscovery event) {
        health = MicroProfileHealth.fromConfig();
    }

    void collect(@Observes ProcessBean<?> event) {
        Bean<?> bean = event.getBean();
        if (!bean.getTypes().contains(HealthCheck.class)) {
            return;
        }
        Set<Probe> probes = MicroProfileChecks.probesOf(bean.getQualifiers());
        if (probes.isEmpty()) {
            return;
        }
        String name = bean.getBeanClass().getName();
        if (event instanceof ProcessProducerMethod<?, ?> m) {
            name += "#" + m.getAnnotatedProducerMethod().getJavaMember().getName();
        } else if (event instanceof ProcessProducerField<?, ?> f) {
            name += "#" + f.getAnnotatedProducerField().getJavaMember().getName();
        }
        found.add(new Found(bean, name, probes));
    }

    void expose(@Observes AfterBeanDiscovery event) {
        event.addBean()
                .beanClass(MicroProfileHealth.class)
                .types(MicroProfileHealth.class, Object.class)
                .scope(Singleton.class)
                .createWith(c -> health);
    }

    void register(@Observes AfterDeploymentValidation event, BeanManager beans) {
        MicroProfileHealth health = Objects.requireNonNull(this.health, "made when the container started booting");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (Found f : found) {
            BeanSource source = new BeanSource(beans, f.bean());
            sources.add(source);
            source.createEagerly();
            health.register(f.name(), source, f.probes(), loader);
        }
        health.markStarted();
        LOG.atInfo().addKeyValue("checks", found.size()).log("MicroProfile Health: {} checks registered", found.size());
    }

    void stop(@Observes BeforeShutdown event) {
        MicroProfileHealth h = health;
        if (h != null) {
            h.close();
        }
        sources.forEach(BeanSource::release);
    }

    /** The instance behind one check bean: a client proxy, or the one {@code @Dependent} instance. */
    private static final class BeanSource implements Supplier<HealthCheck> {
        private final BeanManager beans;
        private final Bean<?> bean;
        private final Object lock = new Object();
        // guarded by lock
        private @Nullable HealthCheck instance;
        private @Nullable CreationalContext<?> context;
        private boolean released;

        BeanSource(BeanManager beans, Bean<?> bean) {
            this.beans = beans;
            this.bean = bean;
        }

        @Override
        public HealthCheck get() {
            synchronized (lock) {
                if (released) {
                    throw new IllegalStateException("the CDI container has shut down");
                }
                if (instance == null) {
                    CreationalContext<?> c = beans.createCreationalContext(bean);
                    instance = (HealthCheck) beans.getReference(bean, HealthCheck.class, c);
                    context = c;
                }
                return instance;
            }
        }

        /** Creates the instance now; a failure is left for the first call to report (the check is then DOWN). */
        @SuppressWarnings({"unchecked", "rawtypes"})
        void createEagerly() {
            try {
                get();
                if (bean.getScope() != Dependent.class) {
                    Context scope = beans.getContext(bean.getScope());
                    scope.get((Bean) bean, beans.createCreationalContext(bean));
                }
            } catch (RuntimeException e) {
                LOG.atWarn()
                        .addKeyValue("bean", bean.getBeanClass().getName())
                        .log(
                                "MicroProfile health check {} could not be created at deployment: {}",
                                bean.getBeanClass().getName(),
                                io.vigil.health.Secrets.describe(e));
                synchronized (lock) {
                    instance = null;
                    context = null;
                }
            }
        }

        void release() {
            synchronized (lock) {
                released = true;
                if (context != null) {
                    context.release();
                }
                context = null;
                instance = null;
            }
        }
    }
}
