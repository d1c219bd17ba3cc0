package io.vigil.health.spring;

import io.vigil.health.CheckKind;
import io.vigil.health.CheckPolicy;
import io.vigil.health.CheckResult;
import io.vigil.health.HealthCheck;
import io.vigil.health.HealthRegistry;
import io.vigil.health.Secrets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.PingHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributors;
import org.springframework.boot.health.contributor.Status;
import org.springframework.util.ClassUtils;

/**
 * Registers every Spring Boot {@link HealthIndicator} and {@link CompositeHealthContributor} bean, and every
 * reactive one when Reactor is present, as a Vigil check,
 * so Spring's indicators run under Vigil's engine (timeout, cache, single-flight, parallelism, flap damping).
 * Names follow Actuator: the bean name without a {@code HealthIndicator} or {@code HealthContributor} suffix, a
 * composite's members as {@code name/member}. Spring's own liveness and readiness state indicators are left out
 * (the availability mirror covers them), and so is its ping indicator (always UP, it tells nothing), and so is an
 * indicator whose name a native check ({@link NativeChecks}) has: Vigil's own check of the same bean wins.
 */
final class IndicatorBridge implements SmartInitializingSingleton {
    private static final Set<String> DATASTORE_PACKAGES = Set.of(
            "jdbc",
            "r2dbc",
            "data",
            "redis",
            "mongo",
            "mongodb",
            "cassandra",
            "couchbase",
            "elasticsearch",
            "neo4j",
            "ldap",
            "hazelcast",
            "influx",
            "jpa",
            "sql",
            "jooq");
    private static final String SPRING_PACKAGE = "org.springframework.";

    private final ListableBeanFactory beans;
    private final HealthRegistry registry;
    private final VigilHealthProperties properties;
    private final Predicate<String> claimed;

    /** @param claimed names of Vigil's native checks: an indicator of such a name is not bridged */
    IndicatorBridge(
            ListableBeanFactory beans,
            HealthRegistry registry,
            VigilHealthProperties properties,
            Predicate<String> claimed) {
        this.beans = beans;
        this.registry = registry;
        this.properties = properties;
        this.claimed = claimed;
    }

    /**
     * A bean saying that a native Vigil check replaces the Actuator indicator bridged under this name (the broker
     * checks for RabbitMQ and JMS): the bridge leaves that indicator out, like a name {@link NativeChecks} claims.
     *
     * @param name the bridged name, e.g. {@code rabbit}
     */
    record Replaced(String name) {}

    @Override
    public void afterSingletonsInstantiated() {
        for (Map.Entry<String, HealthContributor> e :
                beans.getBeansOfType(HealthContributor.class).entrySet()) {
            bridge(name(e.getKey()), e.getValue(), e.getValue());
        }
        if (ClassUtils.isPresent("reactor.core.publisher.Mono", IndicatorBridge.class.getClassLoader())) {
            for (Map.Entry<String, ReactiveHealthContributor> e :
                    beans.getBeansOfType(ReactiveHealthContributor.class).entrySet()) {
                bridgeReactive(name(e.getKey()), e.getValue());
            }
        }
    }

    /**
     * A reactive indicator runs through Spring's blocking adapter on an engine thread: the engine's timeout bounds
     * the wait and interrupts it, which cancels the subscription.
     */
    private void bridgeReactive(String name, ReactiveHealthContributor contributor) {
        if (contributor instanceof ReactiveHealthContributors composite) {
            for (ReactiveHealthContributors.Entry member : composite) {
                bridgeReactive(name + "/" + member.name(), member.contributor());
            }
        } else {
            bridge(name, contributor.asHealthContributor(), contributor);
        }
    }

    /** @param origin the bean as the application declared it: its type decides the check's kind */
    private void bridge(String name, HealthContributor contributor, Object origin) {
        if (properties.getBridgeExclude().contains(name)
                || claimed.test(name)
                || isAvailabilityState(origin)
                || origin instanceof PingHealthIndicator
                || origin instanceof ActuatorProbeIndicator) {
            return;
        }
        if (contributor instanceof HealthIndicator indicator) {
            CheckRegistrar.register(
                    registry, properties, name, new IndicatorCheck(indicator, kindOf(origin)), CheckPolicy.defaults());
        } else if (contributor instanceof HealthContributors composite) {
            for (HealthContributors.Entry member : composite) {
                bridge(name + "/" + member.name(), member.contributor(), member.contributor());
            }
        }
    }

    /** Actuator's naming: {@code dbHealthIndicator} is {@code db}. */
    static String name(String beanName) {
        for (String suffix : new String[] {"HealthIndicator", "HealthContributor"}) {
            if (beanName.length() > suffix.length() && beanName.endsWith(suffix)) {
                return beanName.substring(0, beanName.length() - suffix.length());
            }
        }
        return beanName;
    }

    private static boolean isAvailabilityState(Object contributor) {
        return contributor.getClass().getName().startsWith("org.springframework.boot.health.application.");
    }

    /**
     * Spring's datastore indicators (by package: jdbc, data, redis, mongo, ...) are datastores and other Spring
     * indicators (mail, JMS, AMQP ...) dependencies: neither may sit on liveness without an opt-in. An
     * application's own indicator is a process check, like a {@link HealthCheck} bean.
     */
    static CheckKind kindOf(Object indicator) {
        String type = indicator.getClass().getName();
        if (!type.startsWith(SPRING_PACKAGE)) {
            return CheckKind.PROCESS;
        }
        for (String segment : type.split("\\.", -1)) {
            if (DATASTORE_PACKAGES.contains(segment)) {
                return CheckKind.DATASTORE;
            }
        }
        return CheckKind.DEPENDENCY;
    }

    /** One indicator as a check: UP is UP, DOWN and OUT_OF_SERVICE are DOWN, anything else DEGRADED. */
    static final class IndicatorCheck implements HealthCheck {
        private final HealthIndicator indicator;
        private final CheckKind kind;

        IndicatorCheck(HealthIndicator indicator, CheckKind kind) {
            this.indicator = indicator;
            this.kind = kind;
        }

        @Override
        public CheckResult check() {
            Health health = indicator.health(true);
            return health == null ? CheckResult.down("check returned no result") : result(health); // as the engine
        }

        @Override
        public CheckKind kind() {
            return kind;
        }
    }

    static CheckResult result(Health health) {
        Status status = health.getStatus();
        Map<String, Object> data = new LinkedHashMap<>();
        String error = null;
        for (Map.Entry<String, Object> d : health.getDetails().entrySet()) {
            if (d.getKey().equals("error")) {
                error = Secrets.redact(String.valueOf(d.getValue()));
                continue;
            }
            Object v = d.getValue();
            data.put(d.getKey(), v instanceof Number || v instanceof Boolean ? v : Secrets.redact(String.valueOf(v)));
        }
        CheckResult r;
        if (Status.UP.equals(status)) {
            r = CheckResult.up();
        } else if (Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status)) {
            r = CheckResult.down(error != null ? error : "indicator reports " + status.getCode());
        } else {
            r = CheckResult.degraded("indicator reports " + status.getCode());
        }
        return r.withData(data);
    }
}
