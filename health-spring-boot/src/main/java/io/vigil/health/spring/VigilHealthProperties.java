package io.vigil.health.spring;

import io.vigil.health.CheckPolicy;
import io.vigil.health.Probe;
import io.vigil.health.config.HealthSettings;
import io.vigil.health.endpoint.DetailsPolicy;
import io.vigil.health.endpoint.HealthHandler;
import io.vigil.health.endpoint.StatusPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * The {@code vigil.health.*} settings of the Spring Boot starter. Bound once at start-up and validated there: a
 * bad value fails start-up with a message naming the property. Every setting, its default and its unit is listed
 * in {@code docs/spring-boot.md}. Mutable only while Spring binds it; treat it as read-only afterwards.
 */
@ConfigurationProperties(prefix = VigilHealthProperties.PREFIX)
public class VigilHealthProperties implements Validator {
    /** The defaults; Spring binds the vigil.health settings onto it. */
    public VigilHealthProperties() {}

    /** The prefix of every property. */
    public static final String PREFIX = "vigil.health";

    /** Whether the starter configures anything at all. */
    private boolean enabled = true;
    /** Base path of the endpoints on the application's own server ({@code /health/ready} ...); empty for the root. */
    private String basePath = "/health";
    /**
     * Port of an extra probe server (JDK HttpServer) started before the application context refreshes, so probes
     * answer from the first second of start-up; unset for none. 0 picks a free port.
     */
    private @Nullable Integer port;
    /** Who sees check data, error messages and lock descriptions: never, always or when-authorized. */
    private DetailsPolicy details = DetailsPolicy.NEVER;
    /** With details=when-authorized, callers in this servlet role see details. */
    private @Nullable String detailsRole;
    /** Path segments under which every endpoint is also served, e.g. R4 for /R4/$liveness. */
    private List<String> versionPrefixes = new ArrayList<>();
    /** Emit exactly the MicroProfile Health JSON schema (no Vigil extensions). */
    private boolean strictMicroprofile;
    /**
     * Serve the operator's out-of-service control at {base-path}/out-of-service (POST ?reason=, DELETE) to callers the
     * details role or HealthDetailsAuthorizer accepts.
     */
    private boolean operatorControl;
    /** Outcome to HTTP status and headers: defaults, consul (DEGRADED 429), envoy (x-envoy-degraded), kubelet-safe. */
    private StatusPolicy.Preset statusPolicy = StatusPolicy.Preset.DEFAULTS;
    /** Extra exact paths for a scope, e.g. /ready=readiness or /api/health/ready=readiness (liveness, readiness, startup, all, group:NAME). */
    private List<String> pathAliases = new ArrayList<>();
    /** The application/json representation: microprofile, or status-word ({"status":"healthy|degraded|unhealthy"}). */
    private HealthHandler.JsonFormat jsonFormat = HealthHandler.JsonFormat.MICROPROFILE;
    /** How often the text/html status page reloads itself; 0 never. */
    private Duration pageRefresh = Duration.ofSeconds(5);
    /** Default timeout of every check. */
    private Duration timeout = Duration.ofSeconds(1);
    /** Default cache TTL of every check; 0 disables caching. */
    private Duration cacheTtl = Duration.ofSeconds(1);
    /** How long readiness answers 503 on shutdown before the web server stops accepting requests. */
    private Duration drainDelay = Duration.ZERO;
    /** Whether Spring HealthIndicator and composite contributor beans become Vigil checks. */
    private boolean bridgeIndicators = true;
    /** Names of bridged indicators to leave out (bean name without the HealthIndicator suffix, e.g. db, mail). */
    private Set<String> bridgeExclude = new LinkedHashSet<>();
    /** Whether each DataSource bean gets Vigil's DataSourceCheck (check db, readiness), without Actuator. */
    private boolean dbCheck = true;
    /** Whether a standalone Lettuce or Jedis RedisConnectionFactory gets Vigil's Redis check (check redis, readiness). */
    private boolean redisCheck = true;
    /** Whether the JVM gets Vigil's DeadlockCheck (check deadlocks, liveness). */
    private boolean deadlockCheck = true;
    /** Whether Flyway and Liquibase migrations run under the schema-migration health lock (readiness 423 meanwhile). */
    private boolean migrationLock = true;
    /** Longest a migration holds the schema-migration lock before it is released with a warning. */
    private Duration migrationLockMax = Duration.ofMinutes(30);
    /**
     * Whether Actuator's liveness and readiness groups (/actuator/health/liveness and /readiness) answer from Vigil's
     * probes; they exist with management.endpoint.health.probes.enabled=true (automatic on Kubernetes).
     */
    private boolean actuator;
    /** Per-check settings, keyed by check name (bean name, or bridged indicator name). */
    private Map<String, Check> checks = new LinkedHashMap<>();

    /** Settings of one check; unset values take the defaults above or the core's defaults. */
    public static class Check {
        /** The defaults; Spring binds the vigil.health settings onto it. */
        public Check() {}

        /** Probes the check belongs to: liveness, readiness, startup (default readiness). */
        private @Nullable Set<Probe> probes;
        /** Named groups, served under {base-path}/group/{name}. */
        private List<String> groups = new ArrayList<>();
        /** Whether its DOWN only degrades the probe (still 200). */
        private boolean optional;
        /** Timeout; defaults to vigil.health.timeout. */
        private @Nullable Duration timeout;
        /** Cache TTL; defaults to vigil.health.cache-ttl. */
        private @Nullable Duration cacheTtl;
        /** Period of background evaluation; 0 evaluates on demand. */
        private Duration refreshEvery = Duration.ZERO;
        /** Consecutive failures before DOWN is reported. */
        private int failureThreshold = 1;
        /** Consecutive successes before a DOWN check reports UP again. */
        private int successThreshold = 1;
        /** Consecutive failures that open the circuit breaker; 0 disables it. */
        private int breakerFailures;
        /** Wait of an open breaker before a half-open trial. */
        private Duration breakerBackoff = Duration.ofSeconds(30);
        /** Explicit opt-in for a dependency check on the liveness probe. */
        private boolean allowOnLiveness;

        public @Nullable Set<Probe> getProbes() {
            return probes;
        }

        public void setProbes(Set<Probe> probes) {
            this.probes = probes;
        }

        public List<String> getGroups() {
            return groups;
        }

        public void setGroups(List<String> groups) {
            this.groups = groups;
        }

        public boolean isOptional() {
            return optional;
        }

        public void setOptional(boolean optional) {
            this.optional = optional;
        }

        public @Nullable Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public @Nullable Duration getCacheTtl() {
            return cacheTtl;
        }

        public void setCacheTtl(Duration cacheTtl) {
            this.cacheTtl = cacheTtl;
        }

        public Duration getRefreshEvery() {
            return refreshEvery;
        }

        public void setRefreshEvery(Duration refreshEvery) {
            this.refreshEvery = refreshEvery;
        }

        public int getFailureThreshold() {
            return failureThreshold;
        }

        public void setFailureThreshold(int failureThreshold) {
            this.failureThreshold = failureThreshold;
        }

        public int getSuccessThreshold() {
            return successThreshold;
        }

        public void setSuccessThreshold(int successThreshold) {
            this.successThreshold = successThreshold;
        }

        public int getBreakerFailures() {
            return breakerFailures;
        }

        public void setBreakerFailures(int breakerFailures) {
            this.breakerFailures = breakerFailures;
        }

        public Duration getBreakerBackoff() {
            return breakerBackoff;
        }

        public void setBreakerBackoff(Duration breakerBackoff) {
            this.breakerBackoff = breakerBackoff;
        }

        public boolean isAllowOnLiveness() {
            return allowOnLiveness;
        }

        public void setAllowOnLiveness(boolean allowOnLiveness) {
            this.allowOnLiveness = allowOnLiveness;
        }
    }

    @Override
    public boolean supports(Class<?> type) {
        return VigilHealthProperties.class.isAssignableFrom(type);
    }

    /** Checks every value; each error names the property, e.g. {@code vigil.health.checks.db.timeout}. */
    @Override
    public void validate(Object target, Errors errors) {
        VigilHealthProperties p = (VigilHealthProperties) target;
        // the rules of the settings the one specification owns are its own (HealthSettings.Setting.parse)
        if (p.basePath == null) {
            reject(errors, "basePath", "base-path", "must not be null");
        } else {
            spec(errors, "basePath", HealthSettings.BASE_PATH, p.basePath);
        }
        if (p.port != null && (p.port < 0 || p.port > 65535)) {
            reject(errors, "port", "port", "must be between 0 and 65535");
        }
        if (p.details == DetailsPolicy.WHEN_AUTHORIZED && p.detailsRole != null && p.detailsRole.isBlank()) {
            reject(errors, "detailsRole", "details-role", "must not be blank");
        }
        for (int i = 0; i < p.versionPrefixes.size(); i++) {
            String v = p.versionPrefixes.get(i);
            if (v == null || v.isBlank()) {
                reject(errors, "versionPrefixes[" + i + "]", "version-prefixes[" + i + "]", "must not be blank");
            } else {
                spec(errors, "versionPrefixes[" + i + "]", HealthSettings.VERSION_PREFIXES, v);
            }
        }
        if (p.timeout != null) {
            spec(errors, "timeout", HealthSettings.TIMEOUT, p.timeout.toString());
        }
        if (p.cacheTtl != null) {
            spec(errors, "cacheTtl", HealthSettings.CACHE_TTL, p.cacheTtl.toString());
        }
        nonNegative(errors, p.drainDelay, "drainDelay", "drain-delay");
        positive(errors, p.migrationLockMax, "migrationLockMax", "migration-lock-max");
        for (Map.Entry<String, Check> e : p.checks.entrySet()) {
            validate(errors, e.getKey(), e.getValue());
        }
    }

    private static void validate(Errors errors, String name, Check c) {
        String field = "checks[" + name + "].";
        String prop = "checks." + name + ".";
        if (c.probes != null && c.probes.isEmpty() && c.groups.isEmpty()) {
            reject(
                    errors,
                    field + "probes",
                    prop + "probes",
                    "is empty and no groups are set: the check would never run");
        }
        for (String g : c.groups) {
            try {
                CheckPolicy.builder().groups(g); // the one group-name rule
            } catch (IllegalArgumentException e) {
                reject(errors, field + "groups", prop + "groups", String.valueOf(e.getMessage()));
            }
        }
        positive(errors, c.timeout, field + "timeout", prop + "timeout");
        nonNegative(errors, c.cacheTtl, field + "cacheTtl", prop + "cache-ttl");
        nonNegative(errors, c.refreshEvery, field + "refreshEvery", prop + "refresh-every");
        if (c.failureThreshold < 1) {
            reject(errors, field + "failureThreshold", prop + "failure-threshold", "must be at least 1");
        }
        if (c.successThreshold < 1) {
            reject(errors, field + "successThreshold", prop + "success-threshold", "must be at least 1");
        }
        if (c.breakerFailures < 0) {
            reject(errors, field + "breakerFailures", prop + "breaker-failures", "must not be negative");
        }
        positive(errors, c.breakerBackoff, field + "breakerBackoff", prop + "breaker-backoff");
    }

    /** Rejects a value the one specification refuses, with its message ({@code vigil.health.<key>: ...}). */
    private static void spec(Errors errors, String field, HealthSettings.Setting<?> setting, String text) {
        try {
            setting.parse(text);
        } catch (IllegalArgumentException e) {
            errors.rejectValue(field, "vigil.invalid", PREFIX + "." + e.getMessage());
        }
    }

    private static void positive(Errors errors, @Nullable Duration d, String field, String property) {
        if (d != null && (d.isNegative() || d.isZero())) {
            reject(errors, field, property, "must be positive");
        }
    }

    private static void nonNegative(Errors errors, @Nullable Duration d, String field, String property) {
        if (d != null && d.isNegative()) {
            reject(errors, field, property, "must not be negative");
        }
    }

    private static void reject(Errors errors, String field, String property, String message) {
        errors.rejectValue(field, "vigil.invalid", PREFIX + "." + property + " " + message);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getBasePath() {
        return basePath;
    }

    public void setBasePath(String basePath) {
        this.basePath = basePath;
    }

    public @Nullable Integer getPort() {
        return port;
    }

    public void setPort(Integer port) {
        this.port = port;
    }

    public DetailsPolicy getDetails() {
        return details;
    }

    public void setDetails(DetailsPolicy details) {
        this.details = details;
    }

    public @Nullable String getDetailsRole() {
        return detailsRole;
    }

    public void setDetailsRole(String detailsRole) {
        this.detailsRole = detailsRole;
    }

    public List<String> getVersionPrefixes() {
        return versionPrefixes;
    }

    public void setVersionPrefixes(List<String> versionPrefixes) {
        this.versionPrefixes = versionPrefixes;
    }

    public boolean isStrictMicroprofile() {
        return strictMicroprofile;
    }

    public void setStrictMicroprofile(boolean strictMicroprofile) {
        this.strictMicroprofile = strictMicroprofile;
    }

    public boolean isOperatorControl() {
        return operatorControl;
    }

    public void setOperatorControl(boolean operatorControl) {
        this.operatorControl = operatorControl;
    }

    public StatusPolicy.Preset getStatusPolicy() {
        return statusPolicy;
    }

    public void setStatusPolicy(StatusPolicy.Preset statusPolicy) {
        this.statusPolicy = statusPolicy;
    }

    public List<String> getPathAliases() {
        return pathAliases;
    }

    public void setPathAliases(List<String> pathAliases) {
        this.pathAliases = pathAliases;
    }

    public HealthHandler.JsonFormat getJsonFormat() {
        return jsonFormat;
    }

    public void setJsonFormat(HealthHandler.JsonFormat jsonFormat) {
        this.jsonFormat = jsonFormat;
    }

    public Duration getPageRefresh() {
        return pageRefresh;
    }

    public void setPageRefresh(Duration pageRefresh) {
        this.pageRefresh = pageRefresh;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public Duration getCacheTtl() {
        return cacheTtl;
    }

    public void setCacheTtl(Duration cacheTtl) {
        this.cacheTtl = cacheTtl;
    }

    public Duration getDrainDelay() {
        return drainDelay;
    }

    public void setDrainDelay(Duration drainDelay) {
        this.drainDelay = drainDelay;
    }

    public boolean isBridgeIndicators() {
        return bridgeIndicators;
    }

    public void setBridgeIndicators(boolean bridgeIndicators) {
        this.bridgeIndicators = bridgeIndicators;
    }

    public Set<String> getBridgeExclude() {
        return bridgeExclude;
    }

    public void setBridgeExclude(Set<String> bridgeExclude) {
        this.bridgeExclude = bridgeExclude;
    }

    public boolean isDbCheck() {
        return dbCheck;
    }

    public void setDbCheck(boolean dbCheck) {
        this.dbCheck = dbCheck;
    }

    public boolean isRedisCheck() {
        return redisCheck;
    }

    public void setRedisCheck(boolean redisCheck) {
        this.redisCheck = redisCheck;
    }

    public boolean isDeadlockCheck() {
        return deadlockCheck;
    }

    public void setDeadlockCheck(boolean deadlockCheck) {
        this.deadlockCheck = deadlockCheck;
    }

    public boolean isMigrationLock() {
        return migrationLock;
    }

    public void setMigrationLock(boolean migrationLock) {
        this.migrationLock = migrationLock;
    }

    public Duration getMigrationLockMax() {
        return migrationLockMax;
    }

    public void setMigrationLockMax(Duration migrationLockMax) {
        this.migrationLockMax = migrationLockMax;
    }

    public boolean isActuator() {
        return actuator;
    }

    public void setActuator(boolean actuator) {
        this.actuator = actuator;
    }

    public Map<String, Check> getChecks() {
        return checks;
    }

    public void setChecks(Map<String, Check> checks) {
        this.checks = checks;
    }
}
